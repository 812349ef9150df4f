/** Payload of every background job, by job name. The worker's registry must handle each name. */
export interface JobPayloads {
  'mail.send': { to: string; subject: string; text: string; html?: string };
  'identity.cleanup-expired-tokens': Record<string, never>;
  'catalog.delete-merchant-products': { merchantId: string };
  'orders.assign-waiting-drivers': Record<string, never>;
  'orders.cleanup-idempotency-keys': Record<string, never>;
}

export type JobName = keyof JobPayloads;

/** How domain services start background work, without knowing Agenda. */
export interface JobQueue {
  enqueue<N extends JobName>(name: N, data: JobPayloads[N], options?: { at?: Date }): Promise<{ jobId: string }>;
}
