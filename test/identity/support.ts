import { readFile } from 'node:fs/promises';
import type { HttpClient } from '../support/http.js';

let counter = 0;

/** A unique e-mail for this test file's run. */
export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${process.pid}-${++counter}@example.org`;
}

/** Registers a customer through the real endpoint and returns its credentials and tokens. */
export async function registerUser(http: HttpClient, overrides: Record<string, unknown> = {}) {
  const body = { email: uniqueEmail(), password: 'a long enough password', name: 'Test User', ...overrides };
  const res = await http.post('/api/v1/auth/register', body);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { email: String(body.email), password: String(body.password), ...(res.body as { user: { id: string }; accessToken: string; refreshToken: string }) };
}

/** The JSON lines of an outbox file (empty when nothing was written yet). */
export async function readJsonLines<T = any>(file: string): Promise<T[]> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '' : Promise.reject(err)));
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

/** Polls until `find` returns something or the timeout passes (for work done by background jobs). */
export async function eventually<T>(find: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing found within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
