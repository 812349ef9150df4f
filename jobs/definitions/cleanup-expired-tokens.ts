import { defineJob } from '../job-definition.js';

/** Daily: deletes refresh tokens, reset tokens and OTP codes that can no longer be used. */
export const cleanupExpiredTokens = defineJob({
  name: 'identity.cleanup-expired-tokens',
  schedule: '0 3 * * *',
  concurrency: 1,
  async handler(_data, { modules, log }) {
    const removed = await modules.identity.tokenCleanup.removeExpired();
    log.info(removed, 'expired identity tokens removed');
  },
});
