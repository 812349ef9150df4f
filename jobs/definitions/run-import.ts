import { defineJob } from '../job-definition.js';

/**
 * POST /imports: runs one import. The lock is short and extended by the run's progress ticks, so a
 * worker that dies mid-import leaves it to another within ~20 s, which resumes from the last committed batch.
 */
export const runImport = defineJob({
  name: 'imports.run',
  concurrency: 2,
  lockLifetimeMs: 20_000,
  async handler({ importId }, { modules, touch }) {
    await modules.imports.runner.run(importId, touch);
  },
});
