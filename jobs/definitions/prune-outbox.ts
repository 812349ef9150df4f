import { defineJob } from '../job-definition.js';

/** Dispatched outbox events are kept a day (for inspection), then deleted. */
const KEEP_MS = 24 * 3600_000;

/** Hourly: deletes outbox events dispatched more than a day ago. */
export const pruneOutbox = defineJob({
  name: 'outbox.prune',
  schedule: '41 * * * *',
  concurrency: 1,
  async handler(_data, { modules, log }) {
    const removed = await modules.outbox.prune(new Date(Date.now() - KEEP_MS));
    if (removed) log.info({ removed }, 'dispatched outbox events pruned');
  },
});
