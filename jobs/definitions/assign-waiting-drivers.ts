import { defineJob } from '../job-definition.js';

/** Every minute: ready orders that found no idle driver when they became ready try again. */
export const assignWaitingDrivers = defineJob({
  name: 'orders.assign-waiting-drivers',
  schedule: '1 minute',
  concurrency: 1,
  async handler(_data, { modules, log }) {
    const assigned = await modules.orders.delivery.assignWaiting();
    if (assigned) log.info({ assigned }, 'waiting orders assigned to drivers');
  },
});
