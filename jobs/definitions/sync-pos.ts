import { defineJob } from '../job-definition.js';

/** One sync run of a POS connection (scheduled, asked for, or a retry after a failed run). Failures are recorded by the run itself. */
export const syncPos = defineJob({
  name: 'analytics.pos-sync',
  concurrency: 2,
  lockLifetimeMs: 30 * 60_000,
  async handler({ connectionId, trigger }, { modules, log }) {
    const report = await modules.analytics.posSync.run(connectionId, trigger);
    log.info({ connectionId, trigger, ...report }, 'pos sync finished');
  },
});
