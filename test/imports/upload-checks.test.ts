import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { finishedImport, productsCsv, streamUpload, uploadCsv } from '../support/imports.js';
import { useWorld } from '../support/world.js';

const LIMIT = 64 * 1024;
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(5000, 1)]);
/** The start of a zip archive holding an Excel workbook (what "Save as .xlsx" produces). */
const XLSX = Buffer.concat([Buffer.from('504b0304140000000800', 'hex'), Buffer.alloc(18, 0), Buffer.from('[Content_Types].xml'), Buffer.alloc(5000, 7)]);

describe('what an upload must be', () => {
  const world = useWorld({ merchant: true, variables: { IMPORT_MAX_BYTES: String(LIMIT) } });
  const em = () => world.app.container.orm.em.fork() as EntityManager;
  const nothingWritten = async () => {
    expect(await em().execute(`select count(*)::int as n from imports`)).toEqual([{ n: 0 }]);
    expect(await em().execute(`select count(*)::int as n from products`)).toEqual([{ n: 0 }]);
    const spool = join(world.env.dir, 'storage', 'imports');
    expect(existsSync(spool) ? readdirSync(spool) : []).toEqual([]);
  };

  test('When the bytes are an image or a workbook (whatever the Content-Type says), then 415 naming what it is, and nothing is written', async () => {
    const png = await uploadCsv(world.app, world.merchant.token, PNG);
    expect(png.status).toBe(415);
    expect(png.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', detail: expect.stringContaining('png') });
    const xlsx = await uploadCsv(world.app, world.merchant.token, XLSX);
    expect(xlsx.status).toBe(415);
    expect(xlsx.body.detail).toMatch(/xlsx|zip/);
    const utf16 = await uploadCsv(world.app, world.merchant.token, Buffer.from(`\uFEFF${productsCsv(3)}`, 'utf16le'));
    expect(utf16.status).toBe(415);
    expect(utf16.body.detail).toContain('UTF-16');
    const binary = await uploadCsv(world.app, world.merchant.token, Buffer.from('name,sku\nA,\u0000\u0001\n'));
    expect(binary.status).toBe(415);
    await nothingWritten();
  });

  test('When the request is JSON (or another media type), then 415 before anything is read', async () => {
    const res = await world.http.post('/api/v1/imports?type=products', { name: 'x', sku: 'y' }, world.merchant.token);
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await nothingWritten();
  });

  test('When the declared size is over IMPORT_MAX_BYTES, then 413 at once; when a chunked upload grows past it, then 413 mid-stream', async () => {
    const big = Buffer.from(productsCsv(3_000));
    expect(big.length).toBeGreaterThan(LIMIT * 2);
    const declared = await uploadCsv(world.app, world.merchant.token, big);
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: LIMIT });
    const chunked = await streamUpload(`${world.app.url}/api/v1/imports?type=products`, world.merchant.token, big, { chunk: 16 * 1024 });
    expect(chunked.status).toBe(413);
    expect(chunked.body.code).toBe('PAYLOAD_TOO_LARGE');
    await nothingWritten();
  });

  test('When the header is missing, empty or lacks required columns, then 422 naming the columns, and nothing is written', async () => {
    const missing = await uploadCsv(world.app, world.merchant.token, 'title,price\nOat milk,1.20\n');
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ code: 'VALIDATION', missingColumns: ['sku'], unknownColumns: [] });
    expect(missing.body.errors).toContainEqual({ path: 'header.sku', message: 'required column "sku" is missing' });
    const twice = await uploadCsv(world.app, world.merchant.token, 'name,sku,price,price_cents\nA,a,1,100\n');
    expect(twice.status).toBe(422);
    expect(twice.body.errors).toContainEqual({ path: 'header.price_cents', message: 'give only one of the columns "price", "price_cents"' });
    const unknown = await uploadCsv(world.app, world.merchant.token, 'name,sku,colour,size\nA,a,red,XL\n');
    expect(unknown.body.unknownColumns).toEqual(['colour', 'size']);
    expect((await uploadCsv(world.app, world.merchant.token, '\n\nA,a\n')).status).toBe(422);
    const empty = await world.http.request('POST', '/api/v1/imports?type=products', {
      token: world.merchant.token,
      raw: '',
      headers: { 'content-type': 'text/csv' },
    });
    expect(empty.status).toBe(422);
    await nothingWritten();
  });

  test('When the CSV is a multipart form field "file", then it is imported; a form without it is 422 naming "file"', async () => {
    const form = new FormData();
    form.append('note', 'ignored');
    form.append('file', new Blob([productsCsv(5)], { type: 'text/csv' }), 'products.csv');
    const res = await fetch(`${world.app.url}/api/v1/imports?type=products`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${world.merchant.token}` },
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect(await finishedImport(world.app, world.merchant.token, id)).toMatchObject({ status: 'completed', rowsUpserted: 5 });

    const noFile = new FormData();
    noFile.append('csv', new Blob(['name,sku\nA,a\n']), 'products.csv');
    const refused = await fetch(`${world.app.url}/api/v1/imports?type=products`, {
      method: 'POST',
      body: noFile,
      headers: { authorization: `Bearer ${world.merchant.token}` },
    });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { errors: unknown }).errors).toEqual([{ path: 'file', message: 'The form has no "file" file field' }]);
  });
});
