import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { pause, SERVER_NODE_FLAGS, signTokens, type BenchUser } from './bench-support.js';
import { fmt } from './stats.js';
import type { ServerProcess } from './server-process.js';

const MB = 1024 * 1024;

/** Resident set size of a process in MB (/proc/<pid>/status VmRSS). */
function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return kb / 1024;
}

/** A JPEG of random noise just under `bytes` (noise barely compresses, so the file is as large as a real 8 MB photo). */
async function jpegOfAbout(bytes: number): Promise<Buffer> {
  let side = 3000;
  for (;;) {
    const image = await sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
      .jpeg({ quality: 92 })
      .toBuffer();
    if (image.length <= bytes && image.length > bytes * 0.93) return image;
    side = Math.floor(side * Math.sqrt(bytes / image.length) * 0.985);
  }
}

/** Runs `uploads` at once while sampling the process's RSS every 20 ms; answers the peak growth over the idle RSS. */
async function peakGrowth(pid: number, uploads: () => Promise<number[]>): Promise<{ growthMb: number; idleMb: number; statuses: number[]; seconds: number }> {
  await pause(500);
  const idleMb = rssMb(pid);
  let peak = idleMb;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 20);
  const started = performance.now();
  try {
    const statuses = await uploads();
    await pause(300);
    return { growthMb: peak - idleMb, idleMb, statuses, seconds: (performance.now() - started) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * `concurrent` photo uploads of an image just under 8 MB at once to PUT /diary/:id/photo (streamed,
 * checked, re-encoded without EXIF, stored): the server process's peak RSS growth. Baseline: the same
 * bodies streamed at once to a bare Node http server that writes them to disk.
 */
export async function measurePhotoUploads(server: ServerProcess, jwtSecret: string, users: BenchUser[], concurrent: number): Promise<void> {
  const photo = await jpegOfAbout(8 * MB - 64 * 1024);
  const tokens = await signTokens(jwtSecret, users.slice(0, concurrent));
  const entries = await Promise.all(tokens.map((token) => createEntry(server.url, token)));
  const put = (url: string, token?: string) =>
    fetch(url, { method: 'PUT', headers: { 'content-type': 'image/jpeg', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: photo }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
    );
  // One upload first: sharp's and libvips' one-off allocations are not what 10 uploads at once add.
  await put(`${server.url}/api/v1/diary/${entries[0]}/photo`, tokens[0]);
  const larder = await peakGrowth(server.pid, () =>
    Promise.all(entries.map((id, i) => put(`${server.url}/api/v1/diary/${id}/photo?uploadId=b${i}`, tokens[i]))),
  );

  const bare = await forkBare();
  try {
    const base = await peakGrowth(bare.child.pid!, () => Promise.all(entries.map(() => put(bare.url))));
    console.log(`\n[photo uploads: ${concurrent} at once, ${fmt(photo.length / MB, 2)} MB JPEG each]`);
    console.log(
      `Larder: RSS ${fmt(larder.idleMb)} MB idle, peak growth ${fmt(larder.growthMb)} MB; ${concurrent} uploads in ${fmt(larder.seconds, 2)} s; statuses ${summary(larder.statuses)}`,
    );
    console.log(`bare http server streaming to disk: peak growth ${fmt(base.growthMb)} MB; statuses ${summary(base.statuses)}`);
    const ok = larder.statuses.every((s) => s === 200);
    console.log(`target RSS growth ≤ 30 MB: ${fmt(larder.growthMb)} MB ${larder.growthMb <= 30 && ok ? 'MET' : 'MISSED'}`);
  } finally {
    bare.child.kill('SIGTERM');
    await once(bare.child, 'exit');
  }
}

async function createEntry(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/diary`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: randomUUID(), date: '2026-12-03', meal: 'dinner', items: [{ name: 'Plate', grams: 400, nutrition: {} }] }),
  });
  return ((await res.json()) as { id: string }).id;
}

async function forkBare(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(new URL('./bare-upload-server.ts', import.meta.url)), [], {
    execArgv: [...SERVER_NODE_FLAGS, '--import', 'tsx'],
    stdio: 'inherit',
  });
  const [ready] = (await once(child, 'message')) as [{ type: string; port: number }];
  return { child, url: `http://127.0.0.1:${ready.port}/upload` };
}

function summary(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n}× ${s}`).join(', ');
}
