/**
 * Payload of every background job, by job name. Empty here: each module adds its jobs
 * (`declare module '../shared/job-queue.js'`), and the worker's registry must handle each name.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the modules through declaration merging
export interface JobPayloads {}

export type JobName = keyof JobPayloads & string;

/** How domain services start background work, without knowing Agenda. */
export interface JobQueue {
  enqueue<N extends JobName>(name: N, data: JobPayloads[N], options?: { at?: Date }): Promise<{ jobId: string }>;
}
