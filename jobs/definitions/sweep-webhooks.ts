import { defineJob } from '../job-definition.js';

/** Every minute: queues webhook attempts whose job was lost (a failed enqueue, a worker that died mid-send). */
export const sweepWebhooks = defineJob({
  name: 'webhooks.sweep',
  schedule: '1 minute',
  concurrency: 1,
  async handler(_data, { modules, log }) {
    const queued = await modules.webhooks.sweep();
    if (queued) log.info({ queued }, 'overdue webhook attempts queued again');
  },
});
