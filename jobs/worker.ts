import type { Container } from '../server/container.js';
import { assertRegistry, definitions } from './registry.js';
import { runJob } from './run-job.js';

export interface Worker {
  /** Waits for running jobs (up to the timeout), then stops processing. */
  stop(timeoutMs: number): Promise<void>;
}

/** Registers every job definition, schedules the recurring ones and starts processing. */
export async function startWorker(container: Container): Promise<Worker> {
  assertRegistry(definitions);
  const { agenda } = container.deps.jobs;
  for (const d of definitions) {
    agenda.define(d.name, runJob(container, d), {
      concurrency: d.concurrency ?? 5,
      lockLifetime: d.lockLifetimeMs ?? 10 * 60_000,
      ...(d.backoff ? { backoff: d.backoff } : {}),
    });
  }
  await agenda.start();
  for (const d of definitions) {
    if (d.schedule) await agenda.every(d.schedule, d.name, {}, { skipImmediate: true });
  }
  container.deps.log.info({ jobs: definitions.map((d) => d.name) }, 'worker started');
  return {
    async stop(timeoutMs) {
      await agenda.drain({ timeout: timeoutMs, closeConnection: false });
    },
  };
}
