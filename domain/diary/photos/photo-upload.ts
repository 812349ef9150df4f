import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import sharp from 'sharp';
import { Semaphore } from '../../identity/index.js';
import { AppError } from '../../shared/app-error.js';
import type { Clock } from '../../shared/clock.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { ObjectStorage } from '../../shared/object-storage.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { EntryView } from '../diary.schemas.js';
import { BUMP_HEAD, ENTRY_COLUMNS, type EntryRow } from '../entry-row.js';
import type { EntryViews } from '../entry-views.js';
import type { EntryWriter } from '../entry-writer.js';
import { ImageSniffer, PHOTO_TYPES, type PhotoType } from './image-sniffer.js';
import { UploadMeter } from './upload-meter.js';

export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
/** 100 megapixels: above any phone camera, below a decompression bomb. */
const MAX_PHOTO_PIXELS = 100_000_000;

export interface PhotoUploadDeps {
  uow: UnitOfWork;
  events: EventBus;
  clock: Clock;
  log: Logger;
  storage: ObjectStorage;
  entries: Pick<EntryWriter, 'find'>;
  views: EntryViews;
  /** Where uploads are spooled on local disk while they are checked and re-encoded. */
  spoolDir: string;
}

export interface PhotoUploadInput {
  body: Readable;
  /** The declared Content-Length, when there is one. */
  bytesTotal: number | null;
  uploadId: string;
}

// Re-encoding is the expensive part (libvips decodes the whole image); one at a time per process keeps
// memory flat however many uploads stream in side by side. Uploads spool to disk meanwhile.
const reencodes = new Semaphore(1);
sharp.cache(false);
sharp.concurrency(1);

/**
 * `PUT /diary/:id/photo`: streams the body to a spool file through a byte meter (8 MB limit, progress
 * pushed to the uploader) and a magic-byte check, then re-encodes it with sharp, which drops EXIF (GPS
 * included) and applies the orientation, into the object store. The thumbnail is made by a job.
 */
export class PhotoUpload {
  constructor(private readonly d: PhotoUploadDeps) {}

  async upload(userId: string, entryId: string, input: PhotoUploadInput): Promise<EntryView> {
    const entry = await this.d.entries.find(userId, entryId);
    if (entry.deleted_at) throw new AppError('CONFLICT', 'The entry is in the trash; restore it first');
    if (input.bytesTotal !== null && input.bytesTotal > MAX_PHOTO_BYTES) {
      throw new AppError('PAYLOAD_TOO_LARGE', `A photo is at most ${MAX_PHOTO_BYTES} bytes`, { limit: MAX_PHOTO_BYTES });
    }
    await mkdir(this.d.spoolDir, { recursive: true });
    const spool = join(this.d.spoolDir, `upload-${randomUUID()}`);
    try {
      const type = await this.receive(userId, input, spool);
      const key = `diary/${userId}/${entryId}/${randomUUID()}.${PHOTO_TYPES[type]}`;
      await reencodes.run(() => this.reencode(spool, type, key));
      return await this.attach(userId, entryId, key, type);
    } finally {
      await rm(spool, { force: true });
    }
  }

  /** Streams the body to `spool`; answers the detected image type. */
  private async receive(userId: string, input: PhotoUploadInput, spool: string): Promise<PhotoType> {
    const report = (p: { bytesReceived: number; bytesTotal: number | null }) =>
      void this.d.events.publish('diary.upload_progress', { userId, uploadId: input.uploadId, ...p });
    const sniffer = new ImageSniffer();
    await pipeline(input.body, new UploadMeter(MAX_PHOTO_BYTES, input.bytesTotal, report), sniffer, createWriteStream(spool));
    if (!sniffer.type) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'A photo must be a JPEG, PNG or WebP image');
    return sniffer.type;
  }

  /**
   * Decodes the spooled image and stores it re-encoded without metadata; an undecodable image is 415 and
   * nothing is stored. libvips writes to a second spool file, not to memory (sharp's stream output
   * would hold the whole encoded image), and reads the input sequentially: memory stays a few strips.
   */
  private async reencode(spool: string, type: PhotoType, key: string): Promise<void> {
    const meta = await sharp(spool, { limitInputPixels: false })
      .metadata()
      .catch(() => null);
    if (!meta?.width || !meta.height || `image/${meta.format}` !== type) throw notAnImage();
    if (meta.width * meta.height > MAX_PHOTO_PIXELS) {
      throw new AppError('PAYLOAD_TOO_LARGE', `A photo has at most ${MAX_PHOTO_PIXELS} pixels`, { limit: MAX_PHOTO_PIXELS });
    }
    const image = sharp(spool, { limitInputPixels: MAX_PHOTO_PIXELS, sequentialRead: true, failOn: 'truncated' }).autoOrient();
    // optimiseCoding (two-pass Huffman) would buffer every coefficient of the image: off.
    const encoded =
      type === 'image/jpeg' ? image.jpeg({ quality: 88, optimiseCoding: false }) : type === 'image/png' ? image.png() : image.webp({ quality: 88 });
    const output = `${spool}.out`;
    try {
      await encoded.toFile(output).catch(() => {
        throw notAnImage();
      });
      await this.d.storage.putFile(key, output, { contentType: type });
    } finally {
      await rm(output, { force: true });
    }
  }

  /** Points the entry at the new photo (the old one and its thumbnail are deleted after the commit). */
  private async attach(userId: string, entryId: string, key: string, type: PhotoType): Promise<EntryView> {
    const now = this.d.clock.now();
    const row = await this.d.uow.run(async (tx, emit) => {
      // The user's head first (as every diary write), then the entry: one lock order, no deadlocks.
      const [head] = await tx.execute<Array<{ seq: string }>>(BUMP_HEAD, [userId]);
      const [old] = await tx.execute<Array<{ photo_key: string | null; thumbnail_key: string | null }>>(
        `select photo_key, thumbnail_key from diary_entries where id = ? and user_id = ? and deleted_at is null for update`,
        [entryId, userId],
      );
      if (!old) return null;
      const [updated] = await tx.execute<EntryRow[]>(
        `update diary_entries set photo_key = ?, photo_type = ?, thumbnail_key = null, change_seq = ?, updated_at = ? where id = ? returning ${ENTRY_COLUMNS}`,
        [key, type, head.seq, now, entryId],
      );
      emit('diary.photo_stored', { userId, entryId, photoKey: key });
      return { updated, stale: [old.photo_key, old.thumbnail_key].filter((k): k is string => k !== null) };
    });
    if (!row) {
      await this.d.storage.delete([key]);
      throw new AppError('CONFLICT', 'The entry was deleted while its photo was uploading');
    }
    const { updated, stale } = row;
    if (stale.length) await this.d.storage.delete(stale).catch((err) => this.d.log.warn({ err, stale }, 'could not delete a replaced photo'));
    return this.d.views.view(updated);
  }
}

function notAnImage(): AppError {
  return new AppError('UNSUPPORTED_MEDIA_TYPE', 'The body is not a decodable JPEG, PNG or WebP image');
}
