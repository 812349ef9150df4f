import { compactHeap } from '../../server/platform/heap.js';
import { defineJob } from '../job-definition.js';

/**
 * POST /imports: runs one import. The lock is short and extended by the run's progress ticks, so a
 * worker that dies mid-import leaves it to another within ~20 s, which resumes from the last committed batch.
 * The heap is compacted first: an import churns through the young generation for a minute, and whatever
 * garbage other jobs left in the old one would otherwise add to the worker's peak.
 */
export const runImport = defineJob({
  name: 'imports.run',
  concurrency: 2,
  lockLifetimeMs: 20_000,
  async handler({ importId }, { modules, touch }) {
    compactHeap();
    await modules.imports.runner.run(importId, touch);
  },
});
