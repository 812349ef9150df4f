import { defineJob } from '../job-definition.js';

/** Every minute: POS connections whose 12-hour slot came get their sync queued (through the outbox). */
export const schedulePosSyncs = defineJob({
  name: 'analytics.pos-schedule',
  schedule: '* * * * *',
  concurrency: 1,
  async handler(_data, { modules, log }) {
    const due = await modules.analytics.posSchedule.tick();
    if (due) log.info({ due }, 'pos syncs due');
  },
});
