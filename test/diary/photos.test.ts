import { join } from 'node:path';
import sharp from 'sharp';
import { eventually } from '../support/eventually.js';
import { startS3, type TestS3 } from '../support/s3-server.js';
import type { ServerPayload } from '../../server/realtime/contract.js';
import type { TestApp } from '../support/test-env.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld, type World } from '../support/world.js';
import { filesUnder, jpegWithGps, newEntry, putChunked, putPhoto } from './photo-support.js';

const MB = 1024 * 1024;

/** A URL as this test reaches it: local signed URLs name PUBLIC_URL, the instance listens on an ephemeral port. */
function reachable(app: TestApp, url: string): string {
  const u = new URL(url);
  return app.container.storage.kind === 'local' ? app.url + u.pathname + u.search : url;
}

async function fetchImage(app: TestApp, url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(reachable(app, url));
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

async function photoKeys(world: World, entryId: string) {
  const [row] = await world.app.container.orm.em
    .fork()
    .execute<Array<{ photo_key: string | null; thumbnail_key: string | null }>>(`select photo_key, thumbnail_key from diary_entries where id = ?`, [entryId]);
  return row;
}

/** The upload, thumbnail and link behaviour, the same on local storage and on S3. */
function describeUploads(kind: 'local' | 's3') {
  describe(`photo upload (${kind} storage)`, () => {
    let s3: TestS3 | undefined;
    const variables: Record<string, string> = {};
    beforeAll(async () => {
      if (kind === 's3') {
        s3 = await startS3();
        Object.assign(variables, s3.variables);
      }
    });
    afterAll(async () => {
      await s3?.close();
    });
    describeUploadBehaviour(useWorld({ variables }));
  });
}

function describeUploadBehaviour(world: World) {
  describe('uploads', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await createUser(world.app);
    });

    test('When a JPEG with GPS in its EXIF is uploaded, then the stored photo has no EXIF, is served by its signed URL, and a 320 px WebP thumbnail follows', async () => {
      const original = await jpegWithGps(640);
      expect((await sharp(original).metadata()).exif).toBeDefined();
      const entryId = await newEntry(world.http, user);

      const res = await putPhoto(world.http, user, entryId, original);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: entryId, photoUrl: expect.any(String), thumbnailUrl: null });

      const photo = await fetchImage(world.app, res.body.photoUrl);
      expect(photo.status).toBe(200);
      expect(photo.type).toBe('image/jpeg');
      const meta = await sharp(photo.bytes).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 640, height: 640 });
      expect(meta.exif).toBeUndefined();

      const withThumb = await eventually(
        () => world.http.get(`/api/v1/diary/${entryId}`, user.token),
        (r) => r.body.thumbnailUrl !== null,
        20_000,
      );
      const thumb = await fetchImage(world.app, withThumb.body.thumbnailUrl);
      expect(thumb.status).toBe(200);
      expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 320, height: 320 });
    });

    test('When a photo is replaced, then the old photo and its thumbnail are deleted', async () => {
      const entryId = await newEntry(world.http, user);
      await putPhoto(world.http, user, entryId, await jpegWithGps(400));
      const first = await eventually(
        () => photoKeys(world, entryId),
        (k) => k.thumbnail_key !== null,
        20_000,
      );
      await putPhoto(world.http, user, entryId, await jpegWithGps(300));
      const storage = world.app.container.storage;
      expect(await storage.stat(first.photo_key!)).toBeNull();
      expect(await storage.stat(first.thumbnail_key!)).toBeNull();
      expect(await storage.stat((await photoKeys(world, entryId)).photo_key!)).not.toBeNull();
    });

    test('When the body is not an image, then 415 and nothing is stored', async () => {
      const entryId = await newEntry(world.http, user);
      const text = await putPhoto(world.http, user, entryId, Buffer.from('just some text, certainly not a photo '.repeat(200)));
      expect(text.status).toBe(415);
      expect(text.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const forged = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('a PNG signature followed by text '.repeat(300))]);
      const png = await putPhoto(world.http, user, entryId, forged);
      expect(png.status).toBe(415);
      expect(png.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await photoKeys(world, entryId)).toEqual({ photo_key: null, thumbnail_key: null });
    });

    test('When a 9 MB body streams without a length, then reading stops at 8 MB with 413 and nothing is stored', async () => {
      const entryId = await newEntry(world.http, user);
      const body = Buffer.concat([await jpegWithGps(32), Buffer.alloc(9 * MB, 7)]);
      const res = await putChunked(`${world.app.url}/api/v1/diary/${entryId}/photo`, user.token, body);
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: 8 * MB });
      expect(await photoKeys(world, entryId)).toEqual({ photo_key: null, thumbnail_key: null });
      const declared = await putPhoto(world.http, user, entryId, body);
      expect(declared.status).toBe(413);
      expect((await world.http.get('/healthz')).status).toBe(200);
    });
  });
}

describeUploads('local');
describeUploads('s3');

describe('photo privacy and progress (local storage)', () => {
  const world = useWorld({ variables: { PHOTO_URL_TTL_SECONDS: '1' } });

  test('When an upload streams in, then its uploader’s sockets on every instance get upload:progress at most 10 a second and once at the end; other users get none', async () => {
    const [user, other] = await Promise.all([createUser(world.app), createUser(world.app)]);
    const photo = await jpegWithGps(1200);
    const second = await world.start({ PROCESS_ROLE: 'server' });
    const [socket, onSecond, otherSocket] = await Promise.all([world.connect(user), world.connect(user, second), world.connect(other)]);
    const finalOnSecond = new Promise((resolve) => onSecond.on('upload:progress', (p) => p.bytesReceived === photo.length && resolve(p)));
    const seen: Array<ServerPayload<'upload:progress'> & { at: number }> = [];
    const leaked: unknown[] = [];
    socket.on('upload:progress', (p) => seen.push({ ...p, at: Date.now() }));
    otherSocket.on('upload:progress', (p) => leaked.push(p));
    const entryId = await newEntry(world.http, user);

    const started = Date.now();
    const res = await putChunked(`${world.app.url}/api/v1/diary/${entryId}/photo?uploadId=u-1`, user.token, photo, 64 * 1024, 25);
    const seconds = (Date.now() - started) / 1000;
    expect(res.status).toBe(200);
    await eventually(
      async () => seen.at(-1)?.bytesReceived,
      (n) => n === photo.length,
    );
    expect(seen.every((p) => p.uploadId === 'u-1' && p.bytesTotal === null)).toBe(true);
    const gaps = seen.slice(1, -1).map((p, i) => p.at - seen[i].at);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 2);
    expect(gaps.every((g) => g >= 80)).toBe(true);
    expect(await finalOnSecond).toEqual({ uploadId: 'u-1', bytesReceived: photo.length, bytesTotal: null });
    expect(leaked).toEqual([]);
    await world.stop(second);
  });

  test('When a signed photo URL is forged, unsigned or past its expiry, then 404 like a missing file', async () => {
    const user = await createUser(world.app);
    const entryId = await newEntry(world.http, user);
    const { body } = await putPhoto(world.http, user, entryId, await jpegWithGps(64));
    const url = new URL(body.photoUrl);
    expect((await fetchImage(world.app, url.toString())).status).toBe(200);

    const forged = new URL(url);
    forged.searchParams.set('signature', `${url.searchParams.get('signature')!.slice(0, -3)}abc`);
    expect((await fetchImage(world.app, forged.toString())).status).toBe(404);
    expect((await fetch(`${world.app.url}${url.pathname}`)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await fetchImage(world.app, url.toString())).status).toBe(404);
    // A fresh read signs a fresh link.
    const again = await world.http.get(`/api/v1/diary/${entryId}`, user.token);
    expect((await fetchImage(world.app, again.body.photoUrl)).status).toBe(200);
  });

  test('When nothing was stored for refused uploads, then the storage holds only accepted photos', async () => {
    const files = filesUnder(join(world.env.dir, 'storage'));
    expect(files.every((f) => /^diary\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/[0-9a-f-]{36}(-thumb\.webp|\.jpeg)$/.test(f))).toBe(true);
  });
});
