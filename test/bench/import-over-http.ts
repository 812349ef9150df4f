import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { request } from 'node:http';
import type { Socket } from 'socket.io-client';
import { connect } from './bench-support.js';

/** An import run over HTTP: from the first byte sent to `import:finished`, with its progress pushes timed. */
export interface HttpRun {
  totalMs: number;
  uploadMs: number;
  result: Record<string, number | string>;
  pushes: number;
  maxGapMs: number;
  pushesPerSecond: number;
  /** When each phase was first pushed, in ms from the first byte sent (uploading, parsing, writing, finishing). */
  phases: Record<string, number>;
}

/** Uploads the file (streamed, with its length) while a socket watches the import; resolves at import:finished. */
export async function importOverHttp(url: string, token: string, file: { path: string; bytes: number }, type: string): Promise<HttpRun> {
  const importId = randomUUID();
  const socket = await connect(url, { token });
  const pushes: number[] = [];
  const phases: Record<string, number> = {};
  socket.on('import:progress', (p: { id: string; phase: string }) => {
    if (p.id !== importId) return;
    pushes.push(Date.now());
    phases[p.phase] ??= Date.now() - started;
  });
  const finished = new Promise<Record<string, number | string>>((resolve) =>
    socket.on('import:finished', (p: { id: string }) => p.id === importId && resolve(p as never)),
  );
  // Watched before the upload (the ack is null until the upload creates it): pushes from its first byte.
  await watch(socket, importId);
  const started = Date.now();
  const answer = await post(`${url}/api/v1/imports?type=${type}&importId=${importId}`, token, file);
  const uploadMs = Date.now() - started;
  if (answer.status !== 202) throw new Error(`upload refused: ${answer.status} ${answer.body}`);
  const result = await finished;
  const totalMs = Date.now() - started;
  socket.disconnect();
  const gaps = pushes.slice(1).map((t, i) => t - pushes[i]);
  return {
    totalMs,
    uploadMs,
    result,
    pushes: pushes.length,
    phases,
    maxGapMs: Math.max(0, ...gaps),
    pushesPerSecond: pushes.length / ((pushes[pushes.length - 1] - pushes[0]) / 1000),
  };
}

async function watch(socket: Socket, importId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ack = (await socket.timeout(5_000).emitWithAck('import:watch', { importId })) as { ok: boolean };
    if (ack.ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('could not watch the import');
}

function post(url: string, token: string, file: { path: string; bytes: number }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': String(file.bytes) } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    createReadStream(file.path).pipe(req);
  });
}

/** Runs one psql command against the database (e.g. a `\\copy`). */
export function psql(databaseUrl: string, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited with ${code}`))));
  });
}
