import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import sharp from 'sharp';
import type { ObjectStorage } from '../../shared/object-storage.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import { BUMP_HEAD } from '../entry-row.js';

export const THUMBNAIL_PX = 320;

export interface ThumbnailDeps {
  em: EntityManager;
  uow: UnitOfWork;
  storage: ObjectStorage;
  log: Logger;
}

/** The thumbnail's key beside its photo's. */
export function thumbnailKeyOf(photoKey: string): string {
  return photoKey.replace(/\.[a-z]+$/, '-thumb.webp');
}

/**
 * Makes a photo's thumbnail (at most 320 px a side, WebP) in a job. Idempotent: a photo that was
 * replaced or already has its thumbnail is skipped, so a repeated job does nothing.
 */
export class Thumbnails {
  constructor(private readonly d: ThumbnailDeps) {}

  async make(entryId: string, photoKey: string): Promise<'made' | 'skipped'> {
    const [row] = await this.d.em.execute<Array<{ user_id: string; photo_key: string | null; thumbnail_key: string | null }>>(
      `select user_id, photo_key, thumbnail_key from diary_entries where id = ?`,
      [entryId],
    );
    if (!row || row.photo_key !== photoKey || row.thumbnail_key) return 'skipped';
    const source = await this.d.storage.get(photoKey);
    if (!source) return 'skipped';
    const key = thumbnailKeyOf(photoKey);
    const resize = sharp({ failOn: 'truncated' }).resize(THUMBNAIL_PX, THUMBNAIL_PX, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 });
    source.once('error', (err) => resize.destroy(err));
    source.pipe(resize);
    await this.d.storage.put(key, resize, { contentType: 'image/webp' });
    const attached = await this.d.uow.run(async (tx) => {
      const [head] = await tx.execute<Array<{ seq: string }>>(BUMP_HEAD, [row.user_id]);
      return tx.execute(`update diary_entries set thumbnail_key = ?, change_seq = ? where id = ? and photo_key = ? returning id`, [
        key,
        head.seq,
        entryId,
        photoKey,
      ]);
    });
    if (attached.length === 0) {
      await this.d.storage.delete([key]); // the photo was replaced or purged meanwhile
      return 'skipped';
    }
    return 'made';
  }
}
