import type { BackoffStrategy } from 'agenda';
import type { Logger } from 'pino';
import type { Modules } from '../domain/modules.js';
import type { JobName, JobPayloads } from '../domain/shared/job-queue.js';
import type { Config } from '../server/platform/config.js';
import type { Metrics } from '../server/platform/metrics.js';

export interface JobContext {
  modules: Modules;
  jobId: string;
  log: Logger;
  metrics: Metrics;
  /** Extends the job's lock while long work is still making progress. */
  touch(): Promise<void>;
}

/** One background job: its name, optional recurring schedule, retry policy and a thin handler. */
export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  /** Recurring schedule (cron or human interval); absent for jobs that are only enqueued. */
  schedule?: string;
  /** The IANA time zone the cron schedule is read in (default UTC), from the configuration. */
  timeZone?: (config: Config) => string;
  concurrency?: number;
  lockLifetimeMs?: number;
  backoff?: BackoffStrategy;
  handler(data: JobPayloads[N], ctx: JobContext): Promise<void>;
}

/** A definition of any one job (a union over the job names, so each keeps its own payload type). */
export type AnyJobDefinition = { [N in JobName]: JobDefinition<N> }[JobName];

export function defineJob<N extends JobName>(definition: JobDefinition<N>): JobDefinition<N> {
  return definition;
}
