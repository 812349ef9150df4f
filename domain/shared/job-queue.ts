/**
 * Payload of every background job, by job name. Empty here: each module adds its jobs
 * (`declare module '../shared/job-queue.js'`), and the worker's registry must handle each name.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the modules through declaration merging
export interface JobPayloads {}

export type JobName = keyof JobPayloads & string;

/** A recurring job: a cron expression read in an IANA time zone (so it follows that zone's daylight-saving changes). */
export interface RepeatOptions {
  /** One schedule per key: scheduling the same key again replaces it (or leaves it, when unchanged). */
  key: string;
  /** Five-field cron, e.g. `30 10 * * *` for 10:30 every day. */
  cron: string;
  timeZone: string;
}

/** How domain services start background work, without knowing Agenda. */
export interface JobQueue {
  enqueue<N extends JobName>(name: N, data: JobPayloads[N], options?: { at?: Date }): Promise<{ jobId: string }>;
  /** Runs `name` with `data` on a recurring schedule, idempotently (see RepeatOptions.key). */
  repeat<N extends JobName>(name: N, data: JobPayloads[N], options: RepeatOptions): Promise<void>;
}
