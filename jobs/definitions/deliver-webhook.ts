import { defineJob } from '../job-definition.js';

/** Sends one webhook attempt (its retries are attempts of their own, scheduled by the module). */
export const deliverWebhook = defineJob({
  name: 'webhooks.deliver',
  concurrency: 10,
  lockLifetimeMs: 60_000,
  async handler({ attemptId }, { modules }) {
    await modules.webhooks.deliverer.deliver(attemptId);
  },
});
