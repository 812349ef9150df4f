import { defineJob } from '../job-definition.js';

/** Hourly: Idempotency-Key records older than 24 h are deleted (the key may then be reused). */
export const cleanupIdempotencyKeys = defineJob({
  name: 'orders.cleanup-idempotency-keys',
  schedule: '17 * * * *',
  concurrency: 1,
  async handler(_data, { modules, log }) {
    const removed = await modules.orders.idempotency.removeExpired();
    log.info({ removed }, 'expired idempotency keys removed');
  },
});
