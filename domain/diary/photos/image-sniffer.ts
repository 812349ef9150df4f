import { Transform, type TransformCallback } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../shared/app-error.js';

export const PHOTO_TYPES = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' } as const;
export type PhotoType = keyof typeof PHOTO_TYPES;

const SNIFF_BYTES = 4_100; // file-type's reasonable detection size

/**
 * Holds back the first few kilobytes of a stream until their magic bytes say JPEG, PNG or WebP; anything
 * else fails with UNSUPPORTED_MEDIA_TYPE before more is read. (Whether the rest is really an image is
 * for the decoder to say.)
 */
export class ImageSniffer extends Transform {
  private head: Buffer[] = [];
  private headBytes = 0;
  private detected: PhotoType | null = null;

  get type(): PhotoType | null {
    return this.detected;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.detected) {
      callback(null, chunk);
      return;
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_BYTES) callback();
    else this.release(callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.detected) callback();
    else this.release(callback);
  }

  private release(callback: TransformCallback): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    fileTypeFromBuffer(head).then(
      (found) => {
        if (!found || !(found.mime in PHOTO_TYPES)) {
          callback(new AppError('UNSUPPORTED_MEDIA_TYPE', 'A photo must be a JPEG, PNG or WebP image', { detected: found?.mime ?? null }));
          return;
        }
        this.detected = found.mime as PhotoType;
        callback(null, head);
      },
      (err: Error) => callback(err),
    );
  }
}
