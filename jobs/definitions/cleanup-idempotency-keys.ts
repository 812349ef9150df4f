import { defineJob } from '../job-definition.js';

/** Hourly: Idempotency-Key records older than 24 h are deleted (the key may then be reused). */
export const cleanupIdempotencyKeys = defineJob({
  name: 'orders.cleanup-idempotency-keys',
  schedule: '17 * * * *',
  concurrency: 1,
  async handler(_data, { container, log }) {
    const removed = await container.services.idempotency.removeExpired(container.deps.em);
    log.info({ removed }, 'expired idempotency keys removed');
  },
});
