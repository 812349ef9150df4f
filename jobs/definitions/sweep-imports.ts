import { defineJob } from '../job-definition.js';

/** Every 5 minutes: cleans up after imports that could not clean up, fails uploads that stopped arriving. */
export const sweepImports = defineJob({
  name: 'imports.sweep',
  schedule: '5 minutes',
  concurrency: 1,
  async handler(_data, { modules, log }) {
    const swept = await modules.imports.sweeper.sweep();
    if (swept.cleaned || swept.abandoned) log.info(swept, 'imports swept');
  },
});
