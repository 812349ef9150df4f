import type { Agenda } from 'agenda';
import type { AppContext } from '../server/platform/app-context.js';
import type { Scheduler } from './scheduler.js';
import { selectJobs } from './job-selection.js';
import { assertRegistry, definitions } from './registry.js';
import { runJob } from './run-job.js';
import type { AnyJobDefinition } from './job-definition.js';

export interface Worker {
  /** Waits for running jobs (up to the timeout), then stops processing. */
  stop(timeoutMs: number): Promise<void>;
}

/** The definitions WORKER_JOBS selects; throws on a pattern matching no job (call before starting anything). */
export function workerJobs(patterns: string[]): AnyJobDefinition[] {
  return selectJobs(definitions, patterns);
}

/**
 * Registers the job definitions WORKER_JOBS selects (all by default), schedules the recurring ones
 * among them and starts processing: Agenda only picks up jobs this process has defined.
 */
export async function startWorker(context: AppContext & { scheduler: Scheduler }): Promise<Worker> {
  assertRegistry();
  const { agenda } = context.scheduler;
  const chosen = workerJobs(context.config.workerJobs);
  for (const d of chosen) {
    agenda.define(d.name, runJob(context, d), {
      concurrency: d.concurrency ?? 5,
      lockLifetime: d.lockLifetimeMs ?? 10 * 60_000,
      ...(d.backoff ? { backoff: d.backoff } : {}),
    });
  }
  await agenda.start();
  unrefJobAliveChecks(agenda);
  for (const d of chosen) {
    if (d.schedule) await agenda.every(d.schedule, d.name, {}, { skipImmediate: true, timezone: d.timeZone?.(context.config) });
  }
  context.log.info({ jobs: chosen.map((d) => d.name) }, 'worker started');
  return {
    async stop(timeoutMs) {
      await agenda.drain({ timeout: timeoutMs, closeConnection: false });
    },
  };
}

type RunOrRetry = (this: unknown, job: unknown) => Promise<void>;

/**
 * Works around an agenda 6.2.x leak: for every job it runs, `JobProcessor.runOrRetry` races the job
 * against `checkIfJobIsStillAlive`, which sleeps `max(processEvery, lockLifetime) / 2` (5 minutes
 * here) on a plain `setTimeout` that is neither kept nor cleared when the job finishes. After a
 * clean drain and stop those sleeps still hold the event loop open for minutes (a stopped worker
 * does not exit; jest reports a worker that "failed to exit gracefully").
 *
 * That timer is armed synchronously when `runOrRetry` is called (before its first `await`; the job's
 * own handler only starts after `Job.run` awaits the state save), so the timers created in that
 * synchronous window are agenda's own and are unref'd: the liveness check still fires while the
 * process lives, it just no longer keeps a finished process alive. A running job keeps the process
 * alive through its own I/O. If agenda's internals change shape, this does nothing.
 */
function unrefJobAliveChecks(agenda: Agenda): void {
  const processor = (agenda as unknown as { jobProcessor?: { runOrRetry?: RunOrRetry } }).jobProcessor;
  const original = processor?.runOrRetry;
  if (!processor || typeof original !== 'function') return;
  processor.runOrRetry = function (this: unknown, job: unknown) {
    const realSetTimeout = globalThis.setTimeout;
    const armed: NodeJS.Timeout[] = [];
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      const timer = realSetTimeout(...args);
      armed.push(timer);
      return timer;
    }) as typeof setTimeout;
    try {
      return original.call(this, job);
    } finally {
      globalThis.setTimeout = realSetTimeout;
      for (const timer of armed) timer.unref();
    }
  };
}
