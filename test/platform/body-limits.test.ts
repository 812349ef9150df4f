import { request as httpRequest } from 'node:http';
import { useWorld } from '../support/world.js';

const MB = 1024 * 1024;
const REGISTER = '/api/v1/auth/register';

const world = useWorld({ variables: { PROCESS_ROLE: 'server' } });
const { http } = world;

/** A syntactically valid JSON object of exactly `bytes` bytes. */
function jsonOfSize(bytes: number): string {
  const head = '{"email":"big@example.org","password":"a long enough password","name":"';
  const tail = '"}';
  return head + 'n'.repeat(bytes - head.length - tail.length) + tail;
}

/** Streams `body` with chunked transfer encoding (no Content-Length), reading whatever answer comes back. */
function postChunked(path: string, body: Buffer, chunkSize = 64 * 1024): Promise<{ status: number; type: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(world.app.url + path, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + chunkSize);
        offset += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', writeMore);
      }
      req.end();
    };
    // Once the server has answered it stops reading; later writes may fail, which is fine.
    req.on('response', () => (offset = body.length));
    writeMore();
  });
}

describe('JSON body size limit', () => {
  test('When a JSON body is larger than 1 MB (declared length), then 413 problem+json PAYLOAD_TOO_LARGE', async () => {
    const res = await http.request('POST', REGISTER, { raw: jsonOfSize(MB + 1), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'about:blank', status: 413, code: 'PAYLOAD_TOO_LARGE', limit: MB });
  });

  test('When a chunked body grows past 1 MB without a length, then reading stops and the answer is 413', async () => {
    const res = await postChunked(REGISTER, Buffer.from(jsonOfSize(3 * MB)));
    expect(res.status).toBe(413);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('When a body is just under 1 MB, then it is read and validated (422 naming the oversized field, not 413)', async () => {
    const res = await http.request('POST', REGISTER, { raw: jsonOfSize(MB - 16), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['name']);
  });

  test('When the server refused a large body, then the same server still answers normal requests', async () => {
    await http.request('POST', REGISTER, { raw: jsonOfSize(2 * MB), headers: { 'content-type': 'application/json' } });
    expect((await http.get('/healthz')).status).toBe(200);
  });
});

describe('malformed and mistyped bodies', () => {
  test.each([
    ['truncated JSON', '{"email":"a@example.org",'],
    ['a trailing comma', '{"email":"a@example.org",}'],
    ['plain words', 'hello'],
  ])('When the body is %s, then 400 problem+json BAD_REQUEST', async (_, raw) => {
    const res = await http.request('POST', REGISTER, { raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, code: 'BAD_REQUEST', detail: expect.stringMatching(/malformed json/i) });
  });

  test.each([
    ['text/plain', '{"email":"a@example.org"}'],
    ['application/x-www-form-urlencoded', 'email=a%40example.org&password=x'],
    ['multipart/form-data; boundary=x', '--x\r\ncontent-disposition: form-data; name="email"\r\n\r\na@example.org\r\n--x--'],
  ])('When the content type is %s, then 415 problem+json UNSUPPORTED_MEDIA_TYPE', async (type, raw) => {
    const res = await http.request('POST', REGISTER, { raw, headers: { 'content-type': type } });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  test('When the content type has a charset parameter, then the JSON body is accepted', async () => {
    const raw = JSON.stringify({ email: 'charset@example.org', password: 'a long enough password', name: 'Charset' });
    const res = await http.request('POST', REGISTER, { raw, headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(res.status).toBe(201);
  });

  test('When a body route gets no body at all, then 422 names every required field', async () => {
    const res = await http.request('POST', REGISTER);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'name', 'password']);
  });
});
