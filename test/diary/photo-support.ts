import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';
import type { HttpClient } from '../support/http.js';
import type { TestUser } from '../support/users.js';

/** A JPEG photo with EXIF GPS coordinates, of about `noise` random pixels per side (noise compresses badly: size grows with it). */
export async function jpegWithGps(side = 64): Promise<Buffer> {
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .jpeg({ quality: 95 })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'Larder 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 31/1 12/1', GPSLongitudeRef: 'E', GPSLongitude: '13/1 24/1 36/1' },
    })
    .toBuffer();
}

/** A new entry of `user`; returns its id. */
export async function newEntry(http: HttpClient, user: TestUser): Promise<string> {
  const res = await http.post(
    '/api/v1/diary',
    { clientId: randomUUID(), date: '2026-12-03', meal: 'lunch', items: [{ name: 'Soup', grams: 300, nutrition: { salt: 0.4 } }] },
    user.token,
  );
  if (res.status !== 201) throw new Error(`entry not created: ${res.status}`);
  return res.body.id;
}

/** PUT /diary/:id/photo with a body (Content-Length declared). */
export function putPhoto(http: HttpClient, user: TestUser, entryId: string, body: Buffer, query = '') {
  return http.request('PUT', `/api/v1/diary/${entryId}/photo${query}`, { raw: body, token: user.token, headers: { 'content-type': 'image/jpeg' } });
}

/**
 * Streams `body` chunked (no Content-Length), `pauseMs` between chunks when given, and reads whatever
 * answer comes back; later writes may fail once the server answered.
 */
export function putChunked(url: string, token: string, body: Buffer, chunkSize = 64 * 1024, pauseMs = 0): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + chunkSize);
        offset += chunk.length;
        const flushed = req.write(chunk);
        if (pauseMs > 0 && offset < body.length) return void setTimeout(writeMore, pauseMs);
        if (!flushed) return void req.once('drain', writeMore);
      }
      req.end();
    };
    req.on('response', () => {
      offset = body.length;
    });
    writeMore();
  });
}

/** Every file under a directory (recursively), relative paths. */
export function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath, d.name).slice(dir.length + 1));
  } catch {
    return [];
  }
}
