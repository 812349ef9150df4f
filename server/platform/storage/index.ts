import { createHmac } from 'node:crypto';
import type { ObjectStorage } from '../../../domain/shared/object-storage.js';
import type { Config } from '../config.js';
import { LocalStorage } from './local-storage.js';
import { S3Storage } from './s3-storage.js';

export { LocalStorage } from './local-storage.js';
export { S3Storage } from './s3-storage.js';

/** The configured file store: an S3-compatible bucket when S3_BUCKET is set, else STORAGE_DIR. */
export function createObjectStorage(config: Config): ObjectStorage {
  if (config.s3) return new S3Storage(config.s3);
  // Local signed URLs are HMACs under a key derived from JWT_SECRET (never the secret itself).
  const urlSecret = createHmac('sha256', config.jwtSecret).update('larder:storage-urls').digest('hex');
  return new LocalStorage(config.storageDir, config.publicUrl, urlSecret);
}
