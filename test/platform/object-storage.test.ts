import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { ObjectStorage } from '../../domain/shared/object-storage.js';
import { loadConfig } from '../../server/platform/config.js';
import { createObjectStorage } from '../../server/platform/storage/index.js';
import { httpClient } from '../support/http.js';
import { startS3, type TestS3 } from '../support/s3-server.js';
import { TestEnv, type TestApp } from '../support/test-env.js';

/** A stream of `bytes` pseudo-random bytes in 64 KiB chunks, never held whole in memory. */
function stream(bytes: number): Readable {
  let left = bytes;
  return new Readable({
    read() {
      const n = Math.min(left, 64 * 1024);
      left -= n;
      this.push(n > 0 ? randomBytes(n) : null);
    },
  });
}

describe.each(['local', 's3'] as const)('object storage (%s)', (kind) => {
  let env: TestEnv;
  let app: TestApp;
  let s3: TestS3 | undefined;
  let storage: ObjectStorage;

  beforeAll(async () => {
    env = await TestEnv.create();
    s3 = kind === 's3' ? await startS3() : undefined;
    app = await env.start(s3?.variables ?? {});
    storage = app.container.storage;
  });
  afterAll(async () => {
    await env.close();
    await s3?.close();
  });

  test('When a 12 MB stream is stored, then it reads back whole, reports its size and deletes', async () => {
    expect(storage.kind).toBe(kind);
    expect(await storage.put('tests/big.bin', stream(12 * 1024 * 1024))).toEqual({ bytes: 12 * 1024 * 1024 });
    expect(await storage.stat('tests/big.bin')).toEqual({ bytes: 12 * 1024 * 1024 });
    let read = 0;
    for await (const chunk of (await storage.get('tests/big.bin'))!) read += (chunk as Buffer).length;
    expect(read).toBe(12 * 1024 * 1024);
    await storage.delete(['tests/big.bin', 'tests/never-was.bin']);
    expect(await storage.stat('tests/big.bin')).toBeNull();
    expect(await storage.get('tests/big.bin')).toBeNull();
  });

  /** Local signed URLs name PUBLIC_URL; the test's instance listens on an ephemeral port instead. */
  const reachable = (url: string) => (kind === 'local' ? app.url + new URL(url).pathname + new URL(url).search : url);

  test('When a signed URL is fetched, then it serves the object until it expires', async () => {
    await storage.put('tests/hello.txt', Readable.from([Buffer.from('hello, larder')]));
    const url = await storage.signedUrl('tests/hello.txt', 60, { contentType: 'text/plain' });
    const ok = await fetch(reachable(url));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
    expect(await text(ok.body!)).toBe('hello, larder');

    const expired = await storage.signedUrl('tests/hello.txt', -10);
    expect((await fetch(reachable(expired))).status).toBeGreaterThanOrEqual(400);
  });

  test('When a key tries to leave its folder, then it is refused before any I/O', async () => {
    await expect(storage.put('../etc/passwd', stream(1))).rejects.toThrow(/Invalid object key/);
    await expect(storage.get('tests/../../x')).rejects.toThrow(/Invalid object key/);
  });
});

describe('local signed URLs', () => {
  test('When the signature, key or content type is forged, then /files answers 404 like a missing file', async () => {
    const env = await TestEnv.create();
    try {
      const app = await env.start();
      await app.container.storage.put('diary/u1/photo.webp', Readable.from([Buffer.from('secret photo')]));
      const url = new URL(await app.container.storage.signedUrl('diary/u1/photo.webp', 60, { contentType: 'image/webp' }));
      const http = httpClient(app.url);
      expect((await http.get(url.pathname + url.search)).status).toBe(200);
      const forged = new URL(url);
      forged.searchParams.set('signature', `${url.searchParams.get('signature')!.slice(0, -2)}AA`);
      expect((await http.get(forged.pathname + forged.search)).status).toBe(404);
      expect((await http.get(`/files/diary/u2/photo.webp${url.search}`)).status).toBe(404);
      const retyped = new URL(url);
      retyped.searchParams.set('type', 'text/html');
      expect((await http.get(retyped.pathname + retyped.search)).status).toBe(404);
      expect((await http.get('/files/diary/u1/photo.webp')).status).toBe(404);
    } finally {
      await env.close();
    }
  });

  test('When no S3 bucket is configured, then files go to STORAGE_DIR', () => {
    expect(createObjectStorage(loadConfig({ NODE_ENV: 'test', STORAGE_DIR: '/tmp/x' })).kind).toBe('local');
  });
});
