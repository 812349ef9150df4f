import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertObjectKey, type ObjectStorage, type StoredObject } from '../../../domain/shared/object-storage.js';

/** Files under a directory; signed URLs point at Larder's own `/files/…` route (server/http/routes/files.ts). */
export class LocalStorage implements ObjectStorage {
  readonly kind = 'local' as const;
  private readonly root: string;

  constructor(
    root: string,
    private readonly publicUrl: string,
    private readonly urlSecret: string,
  ) {
    this.root = resolve(root);
  }

  async put(key: string, body: Readable): Promise<StoredObject> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    // Written beside the target and renamed into place: a reader never sees half an object.
    const partial = `${path}.part-${randomBytes(6).toString('hex')}`;
    let bytes = 0;
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    try {
      await pipeline(body, createWriteStream(partial));
      await rename(partial, path);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    return { bytes };
  }

  async putFile(key: string, source: string): Promise<StoredObject> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.part-${randomBytes(6).toString('hex')}`;
    try {
      await copyFile(source, partial);
      await rename(partial, path);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    return { bytes: (await stat(path)).size };
  }

  async get(key: string): Promise<Readable | null> {
    return (await this.stat(key)) ? createReadStream(this.path(key)) : null;
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const s = await stat(this.path(key));
      return s.isFile() ? { bytes: s.size } : null;
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => rm(this.path(key), { force: true })));
  }

  async signedUrl(key: string, expiresInSeconds: number, options: { contentType?: string } = {}): Promise<string> {
    assertObjectKey(key);
    const expires = Math.floor(Date.now() / 1000) + expiresInSeconds;
    const type = options.contentType ?? '';
    const query = new URLSearchParams({ expires: String(expires), ...(type ? { type } : {}), signature: this.sign(key, expires, type) });
    return `${this.publicUrl}/files/${key}?${query}`;
  }

  close(): void {}

  /** Whether a `/files/…` request carries a valid, unexpired signature for this key (and content type). */
  verify(key: string, expires: number, type: string, signature: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
    if (!Number.isInteger(expires) || expires < nowSeconds) return false;
    const expected = Buffer.from(this.sign(key, expires, type));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(key: string, expires: number, type: string): string {
    return createHmac('sha256', this.urlSecret).update(`${key}\n${expires}\n${type}`).digest('base64url');
  }

  private path(key: string): string {
    assertObjectKey(key);
    return join(this.root, key);
  }
}
