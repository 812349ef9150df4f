import type { Readable } from 'node:stream';
import { AppError } from './app-error.js';

export interface StoredObject {
  bytes: number;
}

/**
 * Where files live (photos, import spools, error reports): a local directory or an S3-compatible
 * bucket, chosen by configuration (server/platform/storage). Objects are streamed in and out, never
 * buffered whole; an object is visible only once completely written.
 */
export interface ObjectStorage {
  readonly kind: 'local' | 's3';
  put(key: string, body: Readable, options?: { contentType?: string }): Promise<StoredObject>;
  /** Stores a local file's contents (a local directory copies it in the kernel, no bytes pass through JavaScript). */
  putFile(key: string, path: string, options?: { contentType?: string }): Promise<StoredObject>;
  /** The object's bytes, or null when there is no such object. */
  get(key: string): Promise<Readable | null>;
  stat(key: string): Promise<StoredObject | null>;
  /** Deletes the objects; keys that do not exist are fine. */
  delete(keys: readonly string[]): Promise<void>;
  /** A URL whoever holds it may GET the object from until it expires (never a guessable public URL). */
  signedUrl(key: string, expiresInSeconds: number, options?: { contentType?: string }): Promise<string>;
  /** Releases connections (S3 client sockets). */
  close(): void;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Object keys are built by code (`diary/<user>/<entry>.webp`); anything else is a bug, refused before it reaches a disk or a bucket. */
export function assertObjectKey(key: string): void {
  if (key.length > 512 || !KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw new AppError('INTERNAL', `Invalid object key: ${JSON.stringify(key).slice(0, 80)}`);
  }
}
