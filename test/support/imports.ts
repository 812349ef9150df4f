import { request as httpRequest } from 'node:http';
import type { TestApp } from './test-env.js';
import { eventually } from './eventually.js';
import { httpClient, type HttpResponse } from './http.js';

/** POSTs a CSV body to /api/v1/imports (Content-Length set) with the given query. */
export function uploadCsv(app: TestApp, token: string, csv: string | Buffer, query = 'type=products', contentType = 'text/csv'): Promise<HttpResponse> {
  return httpClient(app.url).request('POST', `/api/v1/imports?${query}`, { token, raw: csv, headers: { 'content-type': contentType } });
}

/** Polls GET /imports/:id until the import has ended; returns its final state. */
export async function finishedImport(app: TestApp, token: string, id: string, ms = 30_000): Promise<any> {
  const res = await eventually(
    () => httpClient(app.url).get(`/api/v1/imports/${id}`, token),
    (r) => r.status === 200 && ['completed', 'failed', 'cancelled'].includes(r.body.status),
    ms,
  );
  return res.body;
}

/** A products CSV of `rows` generated rows (SKU `P-<n>`), with the columns Fulfil plus price and stock. */
export function productsCsv(rows: number, row: (i: number) => string = (i) => `Product ${i},P-${i},"Line one\nline two",${(i % 50) + 1}.25,${i % 7}`): string {
  const lines = ['name,sku,description,price,stock'];
  for (let i = 1; i <= rows; i++) lines.push(row(i));
  return `${lines.join('\n')}\n`;
}

/** Streams `body` to `path` in chunks (chunked transfer encoding unless a length is given), pausing `gapMs` between chunks. */
export function streamUpload(
  url: string,
  token: string,
  body: Buffer,
  options: { chunk?: number; gapMs?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any }> {
  const { chunk = 64 * 1024, gapMs = 0 } = options;
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text && /json/.test(String(res.headers['content-type'])) ? JSON.parse(text) : text });
      });
    });
    let answered = false;
    req.on('error', (err) => (answered ? undefined : reject(err)));
    req.on('response', () => (answered = true));
    let offset = 0;
    const writeMore = () => {
      if (answered) return void req.end();
      if (offset >= body.length) return void req.end();
      const piece = body.subarray(offset, offset + chunk);
      offset += piece.length;
      const next = () => (gapMs ? setTimeout(writeMore, gapMs) : setImmediate(writeMore));
      if (req.write(piece)) next();
      else req.once('drain', next);
    };
    writeMore();
  });
}
