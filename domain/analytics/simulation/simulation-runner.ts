import { Worker } from 'node:worker_threads';
import type { SimulationResult } from '../analytics.schemas.js';
import type { SimulationHistory, SimulationPlan } from './simulation-model.js';

/** What a worker thread is given. */
export interface SimulationJob {
  history: SimulationHistory;
  plan: SimulationPlan;
  runs: number;
  seed: number;
}

export type ThreadMessage = { type: 'progress'; runsDone: number } | { type: 'done'; result: SimulationResult };

/** The thread died or exited without a result (the simulation fails with `worker_crashed`). */
export class SimulationThreadError extends Error {}

// In development and tests the sources are TypeScript, run through tsx; the build ships JavaScript.
const fromSources = import.meta.url.endsWith('.ts');
const THREAD = new URL(`./simulation-thread.${fromSources ? 'ts' : 'js'}`, import.meta.url);
const EXEC_ARGV = fromSources ? [...process.execArgv, '--import', 'tsx'] : process.execArgv;

/**
 * Runs simulations on worker threads (node:worker_threads), one thread per simulation, so the event
 * loop of the process keeps serving sockets and requests while runs are computed. Aborting `signal`
 * terminates the thread.
 */
export class SimulationRunner {
  run(job: SimulationJob, onProgress: (runsDone: number) => void, signal: AbortSignal): Promise<SimulationResult> {
    return new Promise((resolve, reject) => {
      const thread = new Worker(THREAD, { workerData: job, execArgv: EXEC_ARGV });
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', abort);
        outcome();
      };
      const abort = () => {
        void thread.terminate();
        settle(() => reject(signal.reason));
      };
      signal.addEventListener('abort', abort, { once: true });
      thread.on('message', (message: ThreadMessage) => {
        if (message.type === 'progress') onProgress(message.runsDone);
        else settle(() => resolve(message.result));
      });
      thread.on('error', (err) => settle(() => reject(new SimulationThreadError(`simulation thread failed: ${err.message}`))));
      thread.on('exit', (code) => settle(() => reject(new SimulationThreadError(`simulation thread exited (${code}) without a result`))));
      if (signal.aborted) abort();
    });
  }
}
