import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { defineInventoryScripts } from '../../domain/inventory/inventory-scripts.js';
import { inventoryKeys } from '../../domain/inventory/redis-keys.js';
import { closeAll, connect, connectMany, cpuMeters, localRedisPid, pause, selfCpuMeter, signTokens, type BenchEnv } from './bench-support.js';
import { maxOf, parseCartArgs, withCartServer, type Ack, type NumberOption, type Seeded } from './cart-bench-support.js';
import { closedLoop, fmt, percentile, summarize } from './stats.js';
import { serverPids, type ServerGroup } from './server-process.js';
import { instanceCpuText, perInstance, serverCpu } from './cluster-stats.js';

/**
 * `npm run bench -- cart-reservations [--quick] [--sockets 1000] [--products 100] [--rate 5000]
 *   [--seconds 20] [--closed-seconds 10] [--raw-seconds 5] [--raw-concurrency N] [--instances 3 --adapter classic|sharded] [--tsx]`
 *
 * `--sockets` connected customers, each alternating cart:add / cart:remove of one unit of one of
 * `--products` products (10 M stock each), one event in flight per socket, acked.
 * (a) closed loop (saturation: every socket sends its next change when the previous is acked,
 *     paced to ≤ 40 events/s per socket, under the server's 50/s per-socket limit);
 * (b) open loop at a fixed `--rate` spread round-robin over the sockets (5,000/s over 1,000
 *     sockets = 5 events/s each); latency counts from the intended send time, so a slow ack that
 *     delays the socket's next change is charged to that change (no coordinated omission).
 * Baseline in the same run: the very cart-change Lua script (defineInventoryScripts → EVALSHA) issued
 * from Node over one ioredis connection with as many calls in flight as there are sockets, before
 * and after the socket runs; ratio = closed-loop changes/s ÷ raw script calls/s. Also
 * `redis-benchmark -q -t set -n 200000 -P 1` for reference when it is installed.
 * Socket baseline in the same run: a bare Socket.IO server (bare-ack-server.ts: same engine options, no
 * adapter, no auth, no Redis) that acks cart:add/cart:remove at once with a cart of the same shape; the
 * same number of sockets, the same client code, closed loop and open loop as above: the machine's limit
 * for socket events with ack when server, Redis and load generator share its cores.
 *
 * With `--instances N`, socket i connects to instance i mod N (one database, one Redis); each
 * instance's stock pushes go through the Redis adapter, so the bench prints each instance's CPU per
 * change it handled: with the classic adapter every instance also receives the others' pushes.
 *
 * The load generator is this process; the servers are their own processes (startServerProcess).
 */
export async function run(args: string[]): Promise<void> {
  const { quick, opt, cluster } = parseCartArgs(args, RESERVATIONS_OPTIONS);
  const cfg = reservationsConfig(opt);
  const header = `cart-reservations bench${quick ? ' (quick)' : ''}: ${describeReservations(cfg)}`;
  await withCartServer('cart_reservations', header, { customers: cfg.sockets, products: cfg.products }, cluster, (server, env, seeded) =>
    measureReservations(server, env, seeded, cfg),
  );
}

export const RESERVATIONS_OPTIONS = {
  sockets: { type: 'string' },
  products: { type: 'string' },
  rate: { type: 'string' },
  seconds: { type: 'string' },
  'closed-seconds': { type: 'string' },
  'raw-seconds': { type: 'string' },
  'raw-concurrency': { type: 'string' },
} as const;

export interface ReservationsConfig {
  sockets: number;
  products: number;
  rate: number;
  seconds: number;
  closedSeconds: number;
  rawSeconds: number;
  rawConcurrency: number;
}

/** The reservations settings from the options (full run or `--quick`). */
export function reservationsConfig(opt: NumberOption): ReservationsConfig {
  const sockets = opt('sockets', 1_000, 200);
  return {
    sockets,
    products: opt('products', 100, 100),
    rate: opt('rate', 5_000, 1_000),
    seconds: opt('seconds', 20, 3, true),
    closedSeconds: opt('closed-seconds', 10, 3, true),
    rawSeconds: opt('raw-seconds', 5, 2, true),
    rawConcurrency: opt('raw-concurrency', sockets, sockets),
  };
}

/** The settings as the bench's first line states them. */
export function describeReservations(cfg: ReservationsConfig): string {
  return (
    `${cfg.sockets} sockets × ${cfg.products} products, open loop ${cfg.rate}/s for ${cfg.seconds} s, ` +
    `closed loop ${cfg.closedSeconds} s, raw EVALSHA ${cfg.rawSeconds} s ×2 at ${cfg.rawConcurrency} in flight`
  );
}

interface CartClient {
  socket: Socket;
  productId: string;
  next: 'add' | 'remove';
  /** The server instance the socket is connected to. */
  instance: number;
}

interface OpResult {
  ok: boolean;
  code?: string;
  ms: number;
}

/** One cart change: add one unit, or remove the line; alternates once the change is acked ok. */
function cartOp(c: CartClient): Promise<OpResult> {
  const t = performance.now();
  const add = c.next === 'add';
  return c.socket
    .timeout(10_000)
    .emitWithAck(add ? 'cart:add' : 'cart:remove', add ? { productId: c.productId, quantity: 1 } : { productId: c.productId })
    .then(
      (res: Ack) => {
        const ms = performance.now() - t;
        if (!res.ok) return { ok: false, code: res.error.code, ms };
        c.next = add ? 'remove' : 'add';
        return { ok: true, ms };
      },
      () => ({ ok: false, code: 'ACK_TIMEOUT', ms: performance.now() - t }),
    );
}

function cpuText(cpu: Record<string, number>, perSecond: number, instances: number[], elapsedMs: number): string {
  const server = serverCpu(cpu);
  const text =
    `CPU (% of one core): server${instances.length > 1 ? 's' : ''} ${fmt(server)}, Redis ${fmt(cpu.redis)}, load generator ${fmt(cpu.generator)}; ` +
    `server CPU per change ${fmt((server / 100 / perSecond) * 1e6, 0)} µs, Redis CPU per change ${fmt((cpu.redis / 100 / perSecond) * 1e6, 0)} µs`;
  return instances.length > 1 ? `${text}; ${instanceCpuText(cpu, instances, elapsedMs, 'change')}` : text;
}

function countError(errors: Map<string, number>, code = 'ERROR'): void {
  errors.set(code, (errors.get(code) ?? 0) + 1);
}

function errorText(errors: Map<string, number>): string {
  const total = [...errors.values()].reduce((a, b) => a + b, 0);
  return total === 0 ? '0 errors' : `${total} errors (${[...errors].map(([c, n]) => `${c} ${n}`).join(', ')})`;
}

/** Every socket sends its next change when the previous one is acked, at most one per `minGapMs`. */
async function closedCart(clients: CartClient[], durationMs: number, minGapMs: number) {
  const latencies: number[] = [];
  const through: number[] = [];
  const errors = new Map<string, number>();
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    clients.map(async (c) => {
      let lastSend = -Infinity;
      while (performance.now() < deadline) {
        const wait = lastSend + minGapMs - performance.now();
        if (wait > 0) await pause(wait);
        lastSend = performance.now();
        const r = await cartOp(c);
        if (r.ok) {
          latencies.push(r.ms);
          through.push(c.instance);
        } else countError(errors, r.code);
      }
    }),
  );
  return { latencies, through, errors, elapsedMs: performance.now() - started };
}

/**
 * Open loop: change j is due at start + j/rate and goes to socket j mod N. A socket keeps one change
 * in flight; a change due while its socket is busy waits for the ack and is timed from its due time.
 * At the end of the window, changes still waiting for their socket are dropped (counted as backlog:
 * the server did not keep up) and the ones in flight are awaited.
 */
async function openCart(clients: CartClient[], rate: number, durationMs: number) {
  const fromSend: number[] = [];
  const fromDue: number[] = [];
  const through: number[] = [];
  const errors = new Map<string, number>();
  const n = clients.length;
  const total = Math.round((rate * durationMs) / 1000);
  const interval = 1000 / rate;
  const busy = new Array<boolean>(n).fill(false);
  const queues = clients.map(() => [] as number[]);
  let issued = 0;
  let inFlight = 0;
  let late = 0;
  let backlog = 0;
  let closed = false;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const fire = (i: number, due: number) => {
      busy[i] = true;
      inFlight++;
      void cartOp(clients[i]).then((r) => {
        if (r.ok) {
          fromSend.push(r.ms);
          fromDue.push(performance.now() - due);
          through.push(clients[i].instance);
        } else countError(errors, r.code);
        busy[i] = false;
        inFlight--;
        const queued = closed ? undefined : queues[i].shift();
        if (queued !== undefined) fire(i, queued);
        else if (closed && inFlight === 0) resolve();
      });
    };
    const tick = () => {
      const now = performance.now();
      while (issued < total && started + issued * interval <= now) {
        const i = issued % n;
        const due = started + issued * interval;
        issued++;
        if (busy[i]) {
          late++;
          queues[i].push(due);
        } else fire(i, due);
      }
      if (issued < total) {
        setTimeout(tick, 1);
        return;
      }
      const deadline = started + durationMs - performance.now();
      setTimeout(
        () => {
          closed = true;
          for (const q of queues) backlog += q.splice(0).length;
          if (inFlight === 0) resolve();
        },
        Math.max(0, deadline),
      );
    };
    tick();
  });
  return { fromSend, fromDue, through, errors, late, backlog, total, elapsedMs: performance.now() - started };
}

/** The cart-change script straight from Node: one ioredis connection, `concurrency` calls in flight. */
async function rawEvalsha(redisUrl: string, prefix: string, productIds: string[], concurrency: number, durationMs: number) {
  const redis = new Redis(redisUrl, { keyPrefix: prefix });
  const scripts = defineInventoryScripts(redis);
  const calls = new Array<number>(concurrency).fill(0);
  const call = async (w: number) => {
    const holder = `bench-raw-${w}`;
    const productId = productIds[w % productIds.length];
    const add = calls[w]++ % 2 === 0;
    const reply = await scripts.cartChange(
      inventoryKeys.stock(productId),
      inventoryKeys.holder(holder),
      holder,
      productId,
      add ? 'add' : 'set',
      add ? 1 : 0,
      Date.now(),
      900_000,
      3_600_000, // the server's CART_MAX_HOLD_SECONDS default
      -1, // no per-customer cap
      'EUR', // the cart's one currency, checked as the server's calls check it
      prefix,
    );
    if (!reply.startsWith('OK|')) throw new Error(reply.split('|')[0]);
  };
  try {
    await closedLoop(concurrency, 500, call); // loads the script (EVAL fallback once), warms the JIT
    const cpu = selfCpuMeter();
    const r = await closedLoop(concurrency, durationMs, call);
    const nodeCpu = cpu();
    // Leave every raw holder's line released, so the products' reserved counts return to what the sockets hold.
    await Promise.all(calls.map((c, w) => (c % 2 === 1 ? call(w) : undefined)));
    const stats = summarize(r.latencies, r.elapsedMs);
    return { ...stats, errors: r.errors, nodeUsPerCall: (nodeCpu / 100 / stats.perSecond) * 1e6 };
  } finally {
    redis.disconnect();
  }
}

/**
 * The same sockets' work against a bare Socket.IO server that acks at once (bare-ack-server.ts): warm-up,
 * closed loop and open loop as against Larder. Prints and returns its saturation rate and CPU per ack.
 */
async function bareSockets(cfg: ReservationsConfig, productIds: string[], minGapMs: number) {
  // The same Node flags as the measured server (BENCH_SERVER_NODE_FLAGS, e.g. a CPU profile of each).
  const flags = process.env.BENCH_SERVER_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = fork(fileURLToPath(new URL('./bare-ack-server.ts', import.meta.url)), [], {
    execArgv: [...flags, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let sockets: Socket[] = [];
  try {
    const [ready] = (await once(child, 'message')) as [{ type: string; port: number }];
    if (ready.type !== 'listening') throw new Error('bare server did not start');
    const url = `http://127.0.0.1:${ready.port}`;
    sockets = await connectMany(cfg.sockets, () => connect(url, {}));
    const clients: CartClient[] = sockets.map((socket, i) => ({ socket, productId: productIds[i % productIds.length], next: 'add', instance: 0 }));
    await closedCart(clients, quickMs(cfg, 2_000), minGapMs);
    await pause(500);
    let cpu = cpuMeters({ server: child.pid });
    const closed = await closedCart(clients, cfg.closedSeconds * 1000, minGapMs);
    const closedCpu = cpu();
    const closedStats = summarize(closed.latencies, closed.elapsedMs);
    await pause(500);
    cpu = cpuMeters({ server: child.pid });
    const open = await openCart(clients, cfg.rate, cfg.seconds * 1000);
    const openCpu = cpu();
    const openStats = summarize(open.fromDue, open.elapsedMs);
    const serverUs = (closedCpu.server / 100 / closedStats.perSecond) * 1e6;
    console.log(
      `bare Socket.IO acks (same ${cfg.sockets} sockets' work, server acks at once), closed loop: ${fmt(closedStats.perSecond)} acks/s, ` +
        `ack p50 ${fmt(closedStats.p50)} ms, p99 ${fmt(closedStats.p99)} ms, ${errorText(closed.errors)}; CPU (% of one core): server ${fmt(closedCpu.server)}, ` +
        `load generator ${fmt(closedCpu.generator)}; server CPU per ack ${fmt(serverUs, 1)} µs, load generator CPU per ack ${fmt((closedCpu.generator / 100 / closedStats.perSecond) * 1e6, 1)} µs`,
    );
    console.log(
      `bare Socket.IO acks, open loop at ${cfg.rate}/s: achieved ${fmt(openStats.perSecond)}/s, ack p50 ${fmt(openStats.p50)} ms, p99 ${fmt(openStats.p99)} ms, ` +
        `max ${fmt(maxOf(open.fromDue))} ms from due time; ${openStats.count}/${open.total} ok, ${errorText(open.errors)}, ${open.backlog} dropped; ` +
        `CPU (% of one core): server ${fmt(openCpu.server)}, load generator ${fmt(openCpu.generator)}`,
    );
    return { perSecond: closedStats.perSecond, serverUs, openP99: openStats.p99 };
  } finally {
    closeAll(sockets);
    await pause(500);
    child.kill('SIGTERM');
  }
}

/** `redis-benchmark -q -t set -n 200000 -P 1` (its own 50 connections), when the tool is installed. */
async function redisBenchmark(redisUrl: string): Promise<string> {
  const url = new URL(redisUrl);
  const key = 'key:__rand_int__'; // the one key redis-benchmark's SET writes without -r
  const redis = new Redis(redisUrl);
  try {
    const existed = (await redis.exists(key)) === 1;
    try {
      const { stdout } = await promisify(execFile)(
        'redis-benchmark',
        ['-h', url.hostname, '-p', url.port || '6379', '-q', '-t', 'set', '-n', '200000', '-P', '1'],
        { timeout: 120_000 },
      );
      const line = stdout
        .split(/[\r\n]+/)
        .filter((l) => /requests per second/.test(l))
        .pop();
      return line?.trim() ?? 'no figure printed';
    } finally {
      if (!existed) await redis.del(key);
    }
  } catch (err) {
    return `not run (${(err as Error).message.split('\n')[0]})`;
  } finally {
    redis.disconnect();
  }
}

/** The reservations measurement against a running, seeded server: prints its figures and whether the target is met. */
export async function measureReservations(servers: ServerGroup, env: BenchEnv, seeded: Seeded, cfg: ReservationsConfig): Promise<void> {
  const tokens = await signTokens(env.jwtSecret, seeded.customers.slice(0, cfg.sockets));
  let t = performance.now();
  const n = servers.instances.length;
  const sockets = await connectMany(cfg.sockets, (i) => connect(servers.instances[i % n].url, { token: tokens[i] }));
  console.log(`\n[reservations] ${sockets.length} sockets connected in ${fmt((performance.now() - t) / 1000, 2)} s over ${n} instance(s)`);
  try {
    const clients: CartClient[] = sockets.map((socket, i) => ({
      socket,
      productId: seeded.products[i % seeded.products.length],
      next: 'add',
      instance: i % n,
    }));
    const minGapMs = 25; // ≤ 40 events/s per socket (server limit 50/s, burst 100)

    // Warm-up: loads the stock mirrors, product cache, JIT on both sides.
    await closedCart(clients, quickMs(cfg, 3_000), minGapMs);
    await pause(500);

    const rawBefore = await rawEvalsha(env.redisUrl, env.redisPrefix, seeded.products, cfg.rawConcurrency, cfg.rawSeconds * 1000);

    const pids = { ...serverPids(servers), redis: await localRedisPid(env.redisUrl) };
    let cpu = cpuMeters(pids);
    const closed = await closedCart(clients, cfg.closedSeconds * 1000, minGapMs);
    const closedCpu = cpu();
    const closedStats = summarize(closed.latencies, closed.elapsedMs);
    await pause(1_000);

    cpu = cpuMeters(pids);
    const open = await openCart(clients, cfg.rate, cfg.seconds * 1000);
    const openCpu = cpu();
    const openStats = summarize(open.fromDue, open.elapsedMs);
    await pause(500);

    const rawAfter = await rawEvalsha(env.redisUrl, env.redisPrefix, seeded.products, cfg.rawConcurrency, cfg.rawSeconds * 1000);
    const rawPerSecond = (rawBefore.perSecond + rawAfter.perSecond) / 2;
    const bare = await bareSockets(cfg, seeded.products, minGapMs);
    t = performance.now();
    const rb = await redisBenchmark(env.redisUrl);
    const rbSeconds = (performance.now() - t) / 1000;

    console.log(
      `raw cart-change EVALSHA (Node, 1 ioredis connection, ${cfg.rawConcurrency} in flight): ${fmt(rawPerSecond)} calls/s ` +
        `(before ${fmt(rawBefore.perSecond)}, after ${fmt(rawAfter.perSecond)}; p50 ${fmt(rawBefore.p50, 2)} ms, p99 ${fmt(rawBefore.p99, 2)} ms; ` +
        `Node CPU per call ${fmt(rawBefore.nodeUsPerCall, 1)} / ${fmt(rawAfter.nodeUsPerCall, 1)} µs)`,
    );
    console.log(`redis-benchmark -q -t set -n 200000 -P 1 (50 connections): ${rb} [${fmt(rbSeconds, 1)} s]`);
    console.log(
      `socket cart changes, closed loop (${cfg.sockets} sockets, one in flight each): ${fmt(closedStats.perSecond)} changes/s, ` +
        `ack p50 ${fmt(closedStats.p50)} ms, p99 ${fmt(closedStats.p99)} ms, ${closedStats.count} ok, ${errorText(closed.errors)}; ` +
        cpuText(closedCpu, closedStats.perSecond, perInstance(n, closed.through), closed.elapsedMs),
    );
    console.log(
      `socket cart changes, open loop at ${cfg.rate}/s (${fmt(cfg.rate / cfg.sockets, 1)}/s per socket): achieved ${fmt(openStats.perSecond)} changes/s, ` +
        `ack p50 ${fmt(openStats.p50)} ms, p99 ${fmt(openStats.p99)} ms, max ${fmt(maxOf(open.fromDue))} ms from due time ` +
        `(from send: p50 ${fmt(percentile(open.fromSend, 50))} ms, p99 ${fmt(percentile(open.fromSend, 99))} ms); ` +
        `${openStats.count}/${open.total} ok, ${errorText(open.errors)}, ${open.late} sent late (socket busy), ${open.backlog} still queued at the end (dropped); ` +
        cpuText(openCpu, openStats.perSecond, perInstance(n, open.through), open.elapsedMs),
    );
    const check = await checkReserved(env, clients);
    console.log(
      `reserved units = units the sockets hold: ${check.mismatches.length === 0 ? 'OK' : 'MISMATCH'} (${check.products} products, ${check.held} units held` +
        `${check.mismatches.length ? `; ${check.mismatches.slice(0, 5).join(', ')}` : ''})`,
    );
    const ratio = closedStats.perSecond / rawPerSecond;
    console.log(`ratio socket changes/s (closed loop) ÷ raw script calls/s: ${fmt(ratio, 3)}`);
    const serverUs = (serverCpu(closedCpu) / 100 / closedStats.perSecond) * 1e6;
    console.log(
      `ratio socket changes/s (closed loop) ÷ bare Socket.IO acks/s: ${fmt(closedStats.perSecond / bare.perSecond, 3)}; ` +
        `server CPU per change ÷ bare server CPU per ack: ${fmt(serverUs / bare.serverUs, 2)} (${fmt(serverUs, 0)} µs ÷ ${fmt(bare.serverUs, 1)} µs)`,
    );
    const met = openStats.perSecond >= 5_000 * 0.99 && openStats.p99 <= 20 && open.errors.size === 0 && open.backlog === 0 && check.mismatches.length === 0;
    console.log(
      `reservations target ≥ 5,000/s with p99 ≤ 20 ms: ${fmt(openStats.perSecond)}/s at p99 ${fmt(openStats.p99)} ms ` +
        `(saturation ${fmt(closedStats.perSecond)}/s) ${met ? 'MET' : 'MISSED'}`,
    );
  } finally {
    closeAll(sockets);
    await pause(1_000);
  }
}

/**
 * Exact reservation counts: each product's reserved units in Redis equal the units the sockets hold
 * (a socket whose next change is a remove holds one unit; the raw baseline's holders end released).
 */
async function checkReserved(env: BenchEnv, clients: CartClient[]) {
  const expected = new Map<string, number>();
  for (const c of clients) expected.set(c.productId, (expected.get(c.productId) ?? 0) + (c.next === 'remove' ? 1 : 0));
  const redis = new Redis(env.redisUrl, { keyPrefix: env.redisPrefix });
  try {
    const mismatches: string[] = [];
    for (const [productId, units] of expected) {
      const reserved = Number((await redis.hget(inventoryKeys.stock(productId), 'reserved')) ?? 0);
      if (reserved !== units) mismatches.push(`${productId.slice(0, 8)}: ${reserved} reserved, ${units} held`);
    }
    return { products: expected.size, held: [...expected.values()].reduce((a, b) => a + b, 0), mismatches };
  } finally {
    redis.disconnect();
  }
}

function quickMs(cfg: ReservationsConfig, ms: number): number {
  return Math.min(ms, cfg.closedSeconds * 1000);
}
