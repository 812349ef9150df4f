import { execFile, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { defineInventoryScripts } from '../../domain/inventory/inventory-scripts.js';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '../../domain/inventory/index.js';
import { inventoryKeys } from '../../domain/inventory/redis-keys.js';
import {
  benchEnv, cleanUp, closeAll, connect, connectMany, cpuMeters, insertProducts, insertUsers, loadAverage, localRedisPid, pause, signTokens,
  type BenchUser,
} from './bench-support.js';
import { closedLoop, fmt, percentile, summarize } from './stats.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/**
 * `npm run bench -- cart [--quick] [--only reservations|fanout] [--sockets 1000] [--products 100]
 *   [--rate 5000] [--seconds 20] [--closed-seconds 10] [--raw-seconds 5] [--raw-concurrency N]
 *   [--watchers 5000] [--fanout-seconds 20] [--change-ms 50]`
 *
 * (1) Reservations: `--sockets` connected customers, each alternating cart:add / cart:remove of one
 *     unit of one of `--products` products (10 M stock each), one event in flight per socket, acked.
 *     (a) closed loop (saturation: every socket sends its next change when the previous is acked,
 *         paced to ≤ 40 events/s per socket, under the server's 50/s per-socket limit);
 *     (b) open loop at a fixed `--rate` spread round-robin over the sockets (5,000/s over 1,000
 *         sockets = 5 events/s each); latency counts from the intended send time, so a slow ack that
 *         delays the socket's next change is charged to that change (no coordinated omission).
 *     Baseline in the same run: the very cart-change Lua script (defineInventoryScripts → EVALSHA) issued
 *     from Node over one ioredis connection with as many calls in flight as there are sockets, before
 *     and after the socket runs; ratio = closed-loop changes/s ÷ raw script calls/s. Also
 *     `redis-benchmark -q -t set -n 200000 -P 1` for reference when it is installed.
 * (2) Fan-out: `--watchers` sockets `products:watch` one product; one more socket cart:adds one unit
 *     of it every `--change-ms` (each add lowers availability by one, so every value identifies its
 *     change). The server coalesces pushes to ≤ 10/s. Delivery latency = time from sending the change
 *     to each watcher receiving `stock:changed` with that value (not from its ack: the server writes
 *     the ack after the 5,000-socket broadcast it triggered, so acks arrive after the deliveries and
 *     waiting for them would throttle the changes to the fan-out's pace). Server CPU from
 *     /proc/<pid>/stat over the window. Baseline: a bare Socket.IO server in a child process (no
 *     adapter, no auth) broadcasting the same payload to as many clients at the push rate Larder
 *     actually produced, timed from the moment the bench asks for the broadcast.
 *
 * The load generator is this process; the server is its own process (startServerProcess).
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      sockets: { type: 'string' },
      products: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      'closed-seconds': { type: 'string' },
      'raw-seconds': { type: 'string' },
      'raw-concurrency': { type: 'string' },
      watchers: { type: 'string' },
      'fanout-seconds': { type: 'string' },
      'change-ms': { type: 'string' },
    },
  });
  const quick = values.quick || process.env.BENCH_QUICK === '1';
  const envSeconds = process.env.BENCH_SECONDS ? Number(process.env.BENCH_SECONDS) : undefined;
  const opt = (name: keyof typeof values, full: number, short: number, seconds = false) => {
    const given = values[name];
    if (typeof given === 'string') return Number(given);
    if (seconds && envSeconds !== undefined) return envSeconds;
    return quick ? short : full;
  };
  const cfg = {
    sockets: opt('sockets', 1_000, 200),
    products: opt('products', 100, 100),
    rate: opt('rate', 5_000, 1_000),
    seconds: opt('seconds', 20, 3, true),
    closedSeconds: opt('closed-seconds', 10, 3, true),
    rawSeconds: opt('raw-seconds', 5, 2, true),
    rawConcurrency: 0,
    watchers: opt('watchers', 5_000, 500),
    fanoutSeconds: opt('fanout-seconds', 20, 4, true),
    changeMs: opt('change-ms', 50, 50),
  };
  cfg.rawConcurrency = opt('raw-concurrency', cfg.sockets, cfg.sockets);
  const only = values.only;
  if (only && only !== 'reservations' && only !== 'fanout') throw new Error('--only takes reservations or fanout');

  const env = benchEnv('cart');
  console.log(
    `cart bench${quick ? ' (quick)' : ''}: ${cfg.sockets} sockets × ${cfg.products} products, open loop ${cfg.rate}/s for ${cfg.seconds} s, ` +
      `closed loop ${cfg.closedSeconds} s, raw EVALSHA ${cfg.rawSeconds} s ×2 at ${cfg.rawConcurrency} in flight; ` +
      `fan-out ${cfg.watchers} watchers, a change every ${cfg.changeMs} ms for ${cfg.fanoutSeconds} s`,
  );
  console.log(`database ${env.dbName}, Redis prefix ${env.redisPrefix} (both removed at the end); load average ${loadAverage()}`);

  const server = await startServerProcess(env.serverEnv);
  let bare: ChildProcess | undefined;
  try {
    const seeded = await seed(env.databaseUrl, Math.max(cfg.sockets, cfg.watchers) + 1, cfg.products);
    if (!only || only === 'reservations') await reservations(server, env, seeded, cfg);
    if (!only || only === 'fanout') {
      const larder = await fanOut(server, env.jwtSecret, env.redisUrl, seeded, cfg);
      await server.stop(); // the baseline gets the machine without an idle Larder on it
      bare = forkBareServer();
      const baseline = await bareFanOut(bare, cfg, larder.initial, larder.pushIntervalMs);
      const cpuOverhead = larder.cpuUsPerDelivery / baseline.cpuUsPerDelivery - 1;
      const p99Overhead = larder.p99 / baseline.p99 - 1;
      console.log(
        `fan-out overhead over bare Socket.IO: server CPU per delivery ${fmt(larder.cpuUsPerDelivery, 0)} vs ${fmt(baseline.cpuUsPerDelivery, 0)} µs ` +
          `→ ${fmt(cpuOverhead * 100)}% (target ≤ 25%) ${cpuOverhead <= 0.25 ? 'MET' : 'MISSED'}; delivery p99 ${fmt(larder.p99)} vs ${fmt(baseline.p99)} ms → ${fmt(p99Overhead * 100)}%`,
      );
      console.log(`fan-out delivery p99 ${fmt(larder.p99)} ms (target ≤ 250 ms) ${larder.p99 <= 250 && larder.staleSockets === 0 ? 'MET' : 'MISSED'}`);
    }
  } finally {
    await server.stop();
    if (bare && bare.exitCode === null) {
      bare.kill('SIGTERM');
      await once(bare, 'exit');
    }
    await cleanUp(env);
  }
}

type Cfg = { sockets: number; products: number; rate: number; seconds: number; closedSeconds: number; rawSeconds: number; rawConcurrency: number; watchers: number; fanoutSeconds: number; changeMs: number };

interface Seeded {
  customers: BenchUser[];
  products: string[];
  fanoutProduct: string;
}

const STOCK = 10_000_000;

async function seed(databaseUrl: string, customers: number, products: number): Promise<Seeded> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const [merchant] = await insertUsers(db, 1, 'merchant');
    const users = await insertUsers(db, customers, 'customer');
    const ids = await insertProducts(db, merchant.id, products + 1, STOCK);
    return { customers: users, products: ids.slice(0, products), fanoutProduct: ids[products] };
  } finally {
    await db.end();
  }
}

// ---------------------------------------------------------------------------------------------
// (1) Reservations

interface CartClient {
  socket: Socket;
  productId: string;
  next: 'add' | 'remove';
}

interface OpResult {
  ok: boolean;
  code?: string;
  ms: number;
}

type Ack = { ok: true; data: unknown } | { ok: false; error: { code: string } };

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

function cpuText(cpu: Record<string, number>, perSecond: number): string {
  return (
    `CPU (% of one core): server ${fmt(cpu.server)}, Redis ${fmt(cpu.redis)}, load generator ${fmt(cpu.generator)}; ` +
    `server CPU per change ${fmt((cpu.server / 100 / perSecond) * 1e6, 0)} µs, Redis CPU per change ${fmt((cpu.redis / 100 / perSecond) * 1e6, 0)} µs`
  );
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
        if (r.ok) latencies.push(r.ms);
        else countError(errors, r.code);
      }
    }),
  );
  return { latencies, errors, elapsedMs: performance.now() - started };
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
      setTimeout(() => {
        closed = true;
        for (const q of queues) backlog += q.splice(0).length;
        if (inFlight === 0) resolve();
      }, Math.max(0, deadline));
    };
    tick();
  });
  return { fromSend, fromDue, errors, late, backlog, total, elapsedMs: performance.now() - started };
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
      inventoryKeys.stock(productId), inventoryKeys.holder(holder), inventoryKeys.expiry,
      holder, productId, add ? 'add' : 'set', add ? 1 : 0, Date.now(), 900_000, MAX_CART_LINES, MAX_LINE_QUANTITY,
    );
    if (reply[0] !== 'OK') throw new Error(String(reply[0]));
  };
  try {
    await closedLoop(concurrency, 500, call); // loads the script (EVAL fallback once), warms the JIT
    const r = await closedLoop(concurrency, durationMs, call);
    // Leave every raw holder's line released, so the products' reserved counts return to what the sockets hold.
    await Promise.all(
      calls.map((c, w) => (c % 2 === 1 ? call(w) : undefined)),
    );
    return { ...summarize(r.latencies, r.elapsedMs), errors: r.errors };
  } finally {
    redis.disconnect();
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
      const line = stdout.split(/[\r\n]+/).filter((l) => /requests per second/.test(l)).pop();
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

async function reservations(server: ServerProcess, env: ReturnType<typeof benchEnv>, seeded: Seeded, cfg: Cfg): Promise<void> {
  const tokens = await signTokens(env.jwtSecret, seeded.customers.slice(0, cfg.sockets));
  let t = performance.now();
  const sockets = await connectMany(cfg.sockets, (i) => connect(server.url, { token: tokens[i] }));
  console.log(`\n[reservations] ${sockets.length} sockets connected in ${fmt((performance.now() - t) / 1000, 2)} s`);
  try {
    const clients: CartClient[] = sockets.map((socket, i) => ({ socket, productId: seeded.products[i % seeded.products.length], next: 'add' }));
    const minGapMs = 25; // ≤ 40 events/s per socket (server limit 50/s, burst 100)

    // Warm-up: loads the stock mirrors, product cache, JIT on both sides.
    await closedCart(clients, quickMs(cfg, 3_000), minGapMs);
    await pause(500);

    const rawBefore = await rawEvalsha(env.redisUrl, env.redisPrefix, seeded.products, cfg.rawConcurrency, cfg.rawSeconds * 1000);

    const pids = { server: server.pid, redis: await localRedisPid(env.redisUrl) };
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
    t = performance.now();
    const rb = await redisBenchmark(env.redisUrl);
    const rbSeconds = (performance.now() - t) / 1000;

    console.log(
      `raw cart-change EVALSHA (Node, 1 ioredis connection, ${cfg.rawConcurrency} in flight): ${fmt(rawPerSecond)} calls/s ` +
        `(before ${fmt(rawBefore.perSecond)}, after ${fmt(rawAfter.perSecond)}; p50 ${fmt(rawBefore.p50, 2)} ms, p99 ${fmt(rawBefore.p99, 2)} ms)`,
    );
    console.log(`redis-benchmark -q -t set -n 200000 -P 1 (50 connections): ${rb} [${fmt(rbSeconds, 1)} s]`);
    console.log(
      `socket cart changes, closed loop (${cfg.sockets} sockets, one in flight each): ${fmt(closedStats.perSecond)} changes/s, ` +
        `ack p50 ${fmt(closedStats.p50)} ms, p99 ${fmt(closedStats.p99)} ms, ${closedStats.count} ok, ${errorText(closed.errors)}; ` +
        cpuText(closedCpu, closedStats.perSecond),
    );
    console.log(
      `socket cart changes, open loop at ${cfg.rate}/s (${fmt(cfg.rate / cfg.sockets, 1)}/s per socket): achieved ${fmt(openStats.perSecond)} changes/s, ` +
        `ack p50 ${fmt(openStats.p50)} ms, p99 ${fmt(openStats.p99)} ms, max ${fmt(maxOf(open.fromDue))} ms from due time ` +
        `(from send: p50 ${fmt(percentile(open.fromSend, 50))} ms, p99 ${fmt(percentile(open.fromSend, 99))} ms); ` +
        `${openStats.count}/${open.total} ok, ${errorText(open.errors)}, ${open.late} sent late (socket busy), ${open.backlog} still queued at the end (dropped); ` +
        cpuText(openCpu, openStats.perSecond),
    );
    const ratio = closedStats.perSecond / rawPerSecond;
    console.log(`ratio socket changes/s (closed loop) ÷ raw script calls/s: ${fmt(ratio, 3)}`);
    const met = openStats.perSecond >= 5_000 * 0.99 && openStats.p99 <= 20 && open.errors.size === 0 && open.backlog === 0;
    console.log(
      `reservations target ≥ 5,000/s with p99 ≤ 20 ms: ${fmt(openStats.perSecond)}/s at p99 ${fmt(openStats.p99)} ms ` +
        `(saturation ${fmt(closedStats.perSecond)}/s) ${met ? 'MET' : 'MISSED'}`,
    );
  } finally {
    closeAll(sockets);
    await pause(1_000);
  }
}

function maxOf(values: number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

function quickMs(cfg: Cfg, ms: number): number {
  return Math.min(ms, cfg.closedSeconds * 1000);
}

// ---------------------------------------------------------------------------------------------
// (2) Fan-out

interface Receiver {
  values: number[];
  at: number[];
  last: Int32Array;
}

function listen(sockets: Socket[], productId: string): Receiver {
  const r: Receiver = { values: [], at: [], last: new Int32Array(sockets.length).fill(-1) };
  sockets.forEach((socket, i) =>
    socket.on('stock:changed', (p: { productId: string; available: number }) => {
      if (p.productId !== productId) return;
      r.values.push(p.available);
      r.at.push(performance.now());
      r.last[i] = p.available;
    }),
  );
  return r;
}

/** Latency of each delivery from the start time of the change that produced its value. */
function deliveryLatencies(r: Receiver, initial: number, startAt: number[]) {
  const latencies: number[] = [];
  let unmatched = 0;
  for (let i = 0; i < r.values.length; i++) {
    const k = initial - r.values[i];
    if (k >= 1 && k < startAt.length) latencies.push(r.at[i] - startAt[k]);
    else unmatched++;
  }
  return { latencies, unmatched };
}

async function fanOut(server: ServerProcess, secret: string, redisUrl: string, seeded: Seeded, cfg: Cfg) {
  const productId = seeded.fanoutProduct;
  const tokens = await signTokens(secret, seeded.customers.slice(0, cfg.watchers + 1));
  let t = performance.now();
  const sockets = await connectMany(cfg.watchers, (i) => connect(server.url, { token: tokens[i] }));
  const changer = await connect(server.url, { token: tokens[cfg.watchers] });
  console.log(`\n[fan-out] ${sockets.length} watcher sockets connected in ${fmt((performance.now() - t) / 1000, 2)} s`);
  try {
    const receiver = listen(sockets, productId);
    let initial = NaN;
    for (let i = 0; i < sockets.length; i += 500) {
      const acks: Ack[] = await Promise.all(
        sockets.slice(i, i + 500).map((s) => s.timeout(30_000).emitWithAck('products:watch', { productIds: [productId] })),
      );
      for (const ack of acks) {
        if (!ack.ok) throw new Error(`products:watch failed: ${ack.error.code}`);
        initial = (ack.data as { available: Record<string, number> }).available[productId];
      }
    }
    await pause(1_000);
    receiver.values.length = 0;
    receiver.at.length = 0;

    // sendAt[k]: when the k-th add was sent (availability initial − k once applied). Adds go out on a
    // fixed schedule without waiting for acks: an ack is written after the broadcast it triggered, so
    // waiting for it would slow the changes down to the fan-out's pace (and put acks after deliveries).
    const sendAt: number[] = [NaN];
    const ackAt: number[] = [NaN];
    let acked = 0;
    let changeErrors = 0;
    const durationMs = cfg.fanoutSeconds * 1000;
    const cpu = cpuMeters({ server: server.pid, redis: await localRedisPid(redisUrl) });
    const started = performance.now();
    await periodic(cfg.changeMs, durationMs, () => {
      const k = sendAt.length;
      sendAt.push(performance.now());
      changer
        .timeout(10_000)
        .emitWithAck('cart:add', { productId, quantity: 1 })
        .then(
          (res: Ack) => {
            ackAt[k] = performance.now();
            if (res.ok) acked++;
            else changeErrors++;
          },
          () => void changeErrors++,
        );
    });
    while (acked + changeErrors < sendAt.length - 1) await pause(5);
    const windowMs = performance.now() - started;
    const used = cpu();
    await pause(1_500); // the trailing push of the last change

    const changes = acked;
    const final = initial - changes;
    const fromSend = deliveryLatencies(receiver, initial, sendAt);
    const fromAck = deliveryLatencies(receiver, initial, ackAt);
    const pushes = new Set(receiver.values).size;
    const pushRate = pushes / (windowMs / 1000);
    let stale = 0;
    for (const v of receiver.last) if (v !== final) stale++;
    const s = summarize(fromSend.latencies, windowMs);
    const deliveryRate = receiver.values.length / (windowMs / 1000);
    const cpuUsPerDelivery = (used.server / 100 / deliveryRate) * 1e6; // µs of server CPU per delivery
    console.log(
      `Larder fan-out: ${cfg.watchers} watchers, ${changes} changes (one sent every ${cfg.changeMs} ms, ${changeErrors} errors) ` +
        `→ ${pushes} distinct values pushed (${fmt(pushRate)}/s), ${receiver.values.length} deliveries (${fmt(receiver.values.length / (windowMs / 1000))}/s); ` +
        `delivery p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(maxOf(fromSend.latencies))} ms from the change's send ` +
        `(from its ack: p50 ${fmt(percentile(fromAck.latencies, 50))} ms, p99 ${fmt(percentile(fromAck.latencies, 99))} ms: acks queue behind the broadcast); ${fromSend.unmatched} unmatched; ` +
        `final value ${final} on ${cfg.watchers - stale}/${cfg.watchers} sockets; CPU (% of one core): server ${fmt(used.server)}, Redis ${fmt(used.redis)}, load generator ${fmt(used.generator)}`,
    );
    return { initial, p99: s.p99, pushIntervalMs: Math.max(10, Math.round(windowMs / Math.max(1, receiver.values.length / cfg.watchers))), cpuUsPerDelivery, staleSockets: stale };
  } finally {
    closeAll([...sockets, changer]);
    await pause(1_000);
  }
}

/** Calls `fn` at start + k·periodMs until `durationMs` has passed; slots missed while the loop lagged are skipped, not bunched. */
async function periodic(periodMs: number, durationMs: number, fn: () => void): Promise<void> {
  const started = performance.now();
  let k = 0;
  await new Promise<void>((resolve) => {
    const step = () => {
      const now = performance.now();
      if (now - started >= durationMs) return resolve();
      fn();
      k = Math.max(k + 1, Math.ceil((now - started) / periodMs));
      setTimeout(step, Math.max(0, started + k * periodMs - performance.now()));
    };
    step();
  });
}

function forkBareServer(): ChildProcess {
  return fork(fileURLToPath(new URL('./bare-broadcast-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

async function bareFanOut(child: ChildProcess, cfg: Cfg, initial: number, intervalMs: number) {
  const [ready] = (await once(child, 'message')) as [{ type: string; port: number }];
  if (ready.type !== 'listening') throw new Error('bare server did not start');
  const url = `http://127.0.0.1:${ready.port}`;
  const productId = '00000000-0000-4000-8000-000000000000';
  const room = `product:${productId}`;
  let t = performance.now();
  const sockets = await connectMany(cfg.watchers, () => connect(url, { room }));
  console.log(`\n[bare] ${sockets.length} sockets connected in ${fmt((performance.now() - t) / 1000, 2)} s; broadcasting every ${intervalMs} ms`);
  try {
    const receiver = listen(sockets, productId);
    await pause(1_000);
    const sentAt: number[] = [NaN];
    const durationMs = cfg.fanoutSeconds * 1000;
    const cpu = cpuMeters({ server: child.pid, redis: undefined });
    const started = performance.now();
    await periodic(intervalMs, durationMs, () => {
      const k = sentAt.length;
      sentAt.push(performance.now());
      child.send({ type: 'emit', room, event: 'stock:changed', payload: { productId, available: initial - k } });
    });
    const windowMs = performance.now() - started;
    const used = cpu();
    await pause(1_500);
    const pushes = sentAt.length - 1;
    const pushRate = pushes / (windowMs / 1000);
    const { latencies, unmatched } = deliveryLatencies(receiver, initial, sentAt);
    const s = summarize(latencies, windowMs);
    console.log(
      `bare Socket.IO broadcast: ${cfg.watchers} clients, ${pushes} broadcasts (${fmt(pushRate)}/s), ${receiver.values.length} deliveries ` +
        `(${fmt(receiver.values.length / (windowMs / 1000))}/s); delivery p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, p99 ${fmt(s.p99)} ms, ` +
        `max ${fmt(maxOf(latencies))} ms; ${unmatched} unmatched; CPU (% of one core): server ${fmt(used.server)}, load generator ${fmt(used.generator)}`,
    );
    return { p99: s.p99, cpuUsPerDelivery: (used.server / 100 / (receiver.values.length / (windowMs / 1000))) * 1e6 };
  } finally {
    closeAll(sockets);
    await pause(500);
  }
}
