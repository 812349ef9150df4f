import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { deleteRedisKeys } from '../support/redis-cleanup.js';
import { io, type Socket } from 'socket.io-client';
import { defineInventoryScripts } from '../../domain/inventory/inventory-scripts.js';
import { inventoryKeys } from '../../domain/inventory/redis-keys.js';
import { AccessTokens } from '../../domain/identity/index.js';
import type { Role } from '../../domain/shared/actor.js';
import { systemClock } from '../../domain/shared/clock.js';

/** Shared plumbing of the cart and checkout benches: own database, own Redis prefix, seeding, cleanup. */
export interface BenchEnv {
  adminUrl: string;
  redisUrl: string;
  dbName: string;
  databaseUrl: string;
  redisPrefix: string;
  jwtSecret: string;
  /** Environment for startServerProcess (a server-only process: no worker, no jobs). */
  serverEnv: Record<string, string>;
}

export function benchEnv(name: string, extra: Record<string, string> = {}): BenchEnv {
  const adminUrl = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const tag = randomBytes(3).toString('hex');
  const dbName = `larder_bench_${name}_${tag}`;
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  const redisPrefix = `bench:${name}:${tag}:`;
  const jwtSecret = randomBytes(32).toString('hex');
  return {
    adminUrl,
    redisUrl,
    dbName,
    databaseUrl,
    redisPrefix,
    jwtSecret,
    serverEnv: {
      NODE_ENV: 'production',
      JWT_SECRET: jwtSecret,
      PUBLIC_URL: 'http://127.0.0.1',
      METRICS_TOKEN: randomBytes(16).toString('hex'),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: redisPrefix,
      PROCESS_ROLE: 'server',
      LOG_LEVEL: 'warn',
      ...extra,
    },
  };
}

export interface BenchUser {
  id: string;
  role: Role;
}

/** Inserts users straight into `users` (no password: the benches sign access tokens themselves). */
export async function insertUsers(db: pg.ClientBase | pg.Pool, count: number, role: Role): Promise<BenchUser[]> {
  const users: BenchUser[] = [];
  for (let start = 0; start < count; start += 5_000) {
    const ids = Array.from({ length: Math.min(5_000, count - start) }, () => randomUUID());
    await db.query(
      `insert into users (id, email, name, role)
       select id, 'bench-' || id || '@bench.larder', 'Bench ' || $2, $2 from unnest($1::uuid[]) as t(id)`,
      [ids, role],
    );
    users.push(...ids.map((id) => ({ id, role })));
  }
  return users;
}

/** Inserts active grocery products of one merchant with the given stock; returns their ids. */
export async function insertProducts(db: pg.ClientBase | pg.Pool, merchantId: string, count: number, stock: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 5_000) {
    const batch = Array.from({ length: Math.min(5_000, count - start) }, () => randomUUID());
    await db.query(
      `insert into products (id, merchant_id, sku, name, price_cents, currency, stock, kind)
       select id, $2, 'B-' || left(id::text, 8) || right(id::text, 12), 'Bench oat milk 1 L', 250, 'EUR', $3, 'grocery'
       from unnest($1::uuid[]) as t(id)`,
      [batch, merchantId, stock],
    );
    ids.push(...batch);
  }
  return ids;
}

/**
 * Writes products' stock into the server's Redis mirror, as `npm run inventory:rebuild` does (and as
 * creating a product through the API does): products inserted with `pg` are otherwise mirrored lazily.
 */
export async function mirrorStock(env: BenchEnv, stock: Map<string, number>): Promise<void> {
  const redis = new Redis(env.redisUrl, { keyPrefix: env.redisPrefix });
  try {
    const scripts = defineInventoryScripts(redis);
    const entries = [...stock];
    for (let i = 0; i < entries.length; i += 1_000) {
      await Promise.all(entries.slice(i, i + 1_000).map(([id, units]) => scripts.setStock(inventoryKeys.stock(id), units, 1)));
    }
  } finally {
    redis.disconnect();
  }
}

/** 5-minute access tokens signed with the server's JWT_SECRET (what /auth/token would hand out). */
export async function signTokens(secret: string, users: BenchUser[]): Promise<string[]> {
  const tokens = new AccessTokens(secret, systemClock);
  return Promise.all(users.map(async (u) => (await tokens.sign(u.id, u.role)).token));
}

/** Opens `count` websocket connections, `batch` handshakes at a time. */
export async function connectMany(count: number, open: (i: number) => Promise<Socket>, batch = 200): Promise<Socket[]> {
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < count; i += batch) {
      const n = Math.min(batch, count - i);
      sockets.push(...(await Promise.all(Array.from({ length: n }, (_, j) => open(i + j)))));
    }
  } catch (err) {
    closeAll(sockets);
    throw err;
  }
  return sockets;
}

export function connect(url: string, auth: Record<string, string>): Promise<Socket> {
  const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 30_000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

export function closeAll(sockets: Socket[]): void {
  for (const s of sockets) s.disconnect();
}

/** utime + stime of a process in clock ticks (/proc/<pid>/stat fields 14 and 15). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const CLK_TCK = 100; // USER_HZ on Linux (getconf CLK_TCK)

/** Measures a process's CPU over a window, as % of one core. */
export function cpuMeter(pid: number): () => number {
  const read = () => {
    try {
      return cpuTicks(pid);
    } catch {
      return NaN; // the process is gone
    }
  };
  const ticks = read();
  const started = performance.now();
  return () => ((read() - ticks) / CLK_TCK / ((performance.now() - started) / 1000)) * 100;
}

/** This process's CPU over a window, as % of one core. */
export function selfCpuMeter(): () => number {
  const usage = process.cpuUsage();
  const started = performance.now();
  return () => {
    const d = process.cpuUsage(usage);
    return ((d.user + d.system) / 1000 / (performance.now() - started)) * 100;
  };
}

/** 1-minute load average (the machine is shared: printed next to the figures). */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Drops the bench database and every Redis key under the bench prefix (the adapter's channels hold no keys). */
export async function cleanUp(env: BenchEnv): Promise<void> {
  const client = new pg.Client({ connectionString: env.adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${pg.escapeIdentifier(env.dbName)} with (force)`);
  } finally {
    await client.end();
  }
  await deleteRedisKeys(env.redisUrl, env.redisPrefix);
}

/** The Redis server's pid when it runs on this machine (its CPU is read from /proc), else undefined. */
export async function localRedisPid(redisUrl: string): Promise<number | undefined> {
  const host = new URL(redisUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) return undefined;
  const redis = new Redis(redisUrl);
  try {
    const info = await redis.info('server');
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    if (!pid) return undefined;
    cpuTicks(pid); // throws when /proc does not show it (another namespace)
    return pid;
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

/** CPU of several processes over one window, as % of one core each (NaN for an unknown pid). */
export function cpuMeters(pids: Record<string, number | undefined>): () => Record<string, number> {
  const meters = Object.entries(pids).map(([name, pid]) => [name, pid === undefined ? () => NaN : cpuMeter(pid)] as const);
  const self = selfCpuMeter();
  return () => ({ ...Object.fromEntries(meters.map(([name, m]) => [name, m()])), generator: self() });
}

/**
 * The V8 flags docker-compose runs Larder's servers and worker with (the diary bench gives them to its
 * server and to its bare baselines). With the default young generation (up to 16 MB a semi-space) an
 * upload's request-body chunks, garbage once spooled but holding almost no JavaScript heap, wait for a
 * scavenge that rarely comes: 10 uploads at once left ~90 MB of them resident.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4'];
