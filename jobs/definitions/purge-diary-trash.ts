import { defineJob } from '../job-definition.js';

/** Daily at 06:00 in PURGE_TIME_ZONE: deletes diary entries trashed more than 30 days ago, with their photos. */
export const purgeDiaryTrash = defineJob({
  name: 'diary.purge-trash',
  schedule: '0 6 * * *',
  timeZone: (config) => config.purgeTimeZone,
  concurrency: 1,
  async handler(_data, { modules, log, touch }) {
    const purged = await modules.diary.purge.run(touch);
    log.info({ purged }, 'diary trash purge finished');
  },
});
