import { defineJob } from '../job-definition.js';

/** After a photo upload: its 320 px WebP thumbnail (skipped if the photo was replaced or already has one). */
export const makeDiaryThumbnail = defineJob({
  name: 'diary.make-thumbnail',
  concurrency: 2,
  backoff: ({ attempt }) => (attempt <= 5 ? 5_000 * 2 ** attempt : null),
  async handler({ entryId, photoKey }, { modules, log }) {
    const outcome = await modules.diary.thumbnails.make(entryId, photoKey);
    log.debug({ entryId, outcome }, 'diary thumbnail');
  },
});
