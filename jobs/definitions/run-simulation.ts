import { defineJob } from '../job-definition.js';

/** A Monte Carlo simulation, computed on a worker thread; one per worker process at a time (it takes a core). */
export const runSimulation = defineJob({
  name: 'analytics.simulate',
  concurrency: 1,
  lockLifetimeMs: 10 * 60_000,
  async handler({ simulationId }, { modules, touch }) {
    await modules.analytics.simulationJobs.execute(simulationId, touch);
  },
});
