import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { simulate } from './simulation-engine.js';
import type { SimulationJob, ThreadMessage } from './simulation-runner.js';

/**
 * The lowest scheduling priority for this thread alone (Linux: a thread is a task with its own nice
 * value, found through /proc/thread-self): on a small box the simulation then takes only the CPU the
 * event loop, PostgreSQL and Redis leave, so socket acks stay fast while it runs. Elsewhere a no-op.
 */
function yieldCpuToTheEventLoop(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // no /proc (not Linux) or not allowed: run at the process's priority
  }
}

// A worker thread's entry point: runs one simulation off the event loop, posting progress and the result.
yieldCpuToTheEventLoop();
const job = workerData as SimulationJob;
const post = (message: ThreadMessage) => parentPort!.postMessage(message);
const result = simulate(job.history, job.plan, { runs: job.runs, seed: job.seed, onProgress: (runsDone) => post({ type: 'progress', runsDone }) });
post({ type: 'done', result });
