import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'socket.io-client';
import { closeAll, connect, connectMany, cpuMeters, localRedisPid, pause, signTokens, type BenchEnv } from './bench-support.js';
import { maxOf, parseCartArgs, withCartServer, type Ack, type NumberOption, type Seeded } from './cart-bench-support.js';
import { instanceCpuText, perInstance, serverCpu } from './cluster-stats.js';
import { fmt, percentile, summarize } from './stats.js';
import { serverPids, type ServerGroup } from './server-process.js';

/**
 * `npm run bench -- cart-fanout [--quick] [--watchers 5000] [--fanout-seconds 20] [--change-ms 50]
 *   [--instances 3 --adapter classic|sharded]`
 *
 * `--watchers` sockets `products:watch` one product; one more socket cart:adds one unit of it every
 * `--change-ms` (each add lowers availability by one, so every value identifies its change). The
 * server coalesces pushes to ≤ 10/s. Delivery latency = time from sending the change to each watcher
 * receiving `stock:changed` with that value (not from its ack: the server writes the ack after the
 * 5,000-socket broadcast it triggered, so acks arrive after the deliveries and waiting for them would
 * throttle the changes to the fan-out's pace). Server CPU from /proc/<pid>/stat over the window.
 * Baseline: a bare Socket.IO server in a child process (no adapter, no auth) broadcasting the same
 * payload to as many clients at the push rate Larder actually produced, timed from the moment the
 * bench asks for the broadcast.
 *
 * With `--instances N`, N server processes share the database and Redis; watcher i connects to
 * instance i mod N and the changer to the first, so the watchers on the other instances get their
 * pushes through the Redis adapter: the bench prints each instance's CPU per delivery it made and
 * the delivery p99 on the changer's instance (local) and on the others (cross-instance).
 *
 * The load generator is this process; the servers are their own processes (startServerProcess).
 */
export async function run(args: string[]): Promise<void> {
  const { quick, opt, cluster } = parseCartArgs(args, FANOUT_OPTIONS);
  const cfg = fanOutConfig(opt);
  const header = `cart-fanout bench${quick ? ' (quick)' : ''}: ${describeFanOut(cfg)}`;
  await withCartServer('cart_fanout', header, { customers: cfg.watchers + 1, products: 0 }, cluster, (server, env, seeded) =>
    measureFanOut(server, env, seeded, cfg),
  );
}

export const FANOUT_OPTIONS = {
  watchers: { type: 'string' },
  'fanout-seconds': { type: 'string' },
  'change-ms': { type: 'string' },
} as const;

export interface FanOutConfig {
  watchers: number;
  fanoutSeconds: number;
  changeMs: number;
}

/** The fan-out settings from the options (full run or `--quick`). */
export function fanOutConfig(opt: NumberOption): FanOutConfig {
  return {
    watchers: opt('watchers', 5_000, 500),
    fanoutSeconds: opt('fanout-seconds', 20, 4, true),
    changeMs: opt('change-ms', 50, 50),
  };
}

/** The settings as the bench's first line states them. */
export function describeFanOut(cfg: FanOutConfig): string {
  return `fan-out ${cfg.watchers} watchers, a change every ${cfg.changeMs} ms for ${cfg.fanoutSeconds} s`;
}

/**
 * The fan-out measurement against a running, seeded server, then (with that server stopped) the bare
 * Socket.IO baseline; prints both, the overhead and whether the targets are met.
 */
export async function measureFanOut(server: ServerGroup, env: BenchEnv, seeded: Seeded, cfg: FanOutConfig): Promise<void> {
  const larder = await fanOut(server, env.jwtSecret, env.redisUrl, seeded, cfg);
  await server.stop(); // the baseline gets the machine without an idle Larder on it
  const bare = forkBareServer();
  try {
    const baseline = await bareFanOut(bare, cfg, larder.initial, larder.pushIntervalMs);
    const cpuOverhead = larder.cpuUsPerDelivery / baseline.cpuUsPerDelivery - 1;
    const p99Overhead = larder.p99 / baseline.p99 - 1;
    console.log(
      `fan-out overhead over bare Socket.IO: server CPU per delivery ${fmt(larder.cpuUsPerDelivery, 0)} vs ${fmt(baseline.cpuUsPerDelivery, 0)} µs ` +
        `→ ${fmt(cpuOverhead * 100)}% (target ≤ 25%) ${cpuOverhead <= 0.25 ? 'MET' : 'MISSED'}; delivery p99 ${fmt(larder.p99)} vs ${fmt(baseline.p99)} ms → ${fmt(p99Overhead * 100)}%`,
    );
    console.log(`fan-out delivery p99 ${fmt(larder.p99)} ms (target ≤ 250 ms) ${larder.p99 <= 250 && larder.staleSockets === 0 ? 'MET' : 'MISSED'}`);
  } finally {
    if (bare.exitCode === null) {
      bare.kill('SIGTERM');
      await once(bare, 'exit');
    }
  }
}

interface Receiver {
  values: number[];
  at: number[];
  /** The server instance each delivery came through. */
  instance: number[];
  last: Int32Array;
}

function listen(sockets: Socket[], productId: string, instanceOf: (socket: number) => number = () => 0): Receiver {
  const r: Receiver = { values: [], at: [], instance: [], last: new Int32Array(sockets.length).fill(-1) };
  sockets.forEach((socket, i) => {
    const instance = instanceOf(i);
    socket.on('stock:changed', (p: { productId: string; available: number }) => {
      if (p.productId !== productId) return;
      r.values.push(p.available);
      r.at.push(performance.now());
      r.instance.push(instance);
      r.last[i] = p.available;
    });
  });
  return r;
}

/** Latency of each delivery (through the instances `through` accepts) from the start time of the change that produced its value. */
function deliveryLatencies(r: Receiver, initial: number, startAt: number[], through: (instance: number) => boolean = () => true) {
  const latencies: number[] = [];
  let unmatched = 0;
  for (let i = 0; i < r.values.length; i++) {
    if (!through(r.instance[i])) continue;
    const k = initial - r.values[i];
    if (k >= 1 && k < startAt.length) latencies.push(r.at[i] - startAt[k]);
    else unmatched++;
  }
  return { latencies, unmatched };
}

async function fanOut(servers: ServerGroup, secret: string, redisUrl: string, seeded: Seeded, cfg: FanOutConfig) {
  const productId = seeded.fanoutProduct;
  const tokens = await signTokens(secret, seeded.customers.slice(0, cfg.watchers + 1));
  const n = servers.instances.length;
  const instanceOf = (i: number) => i % n;
  const t = performance.now();
  const sockets = await connectMany(cfg.watchers, (i) => connect(servers.instances[instanceOf(i)].url, { token: tokens[i] }));
  const changer = await connect(servers.instances[0].url, { token: tokens[cfg.watchers] });
  console.log(`\n[fan-out] ${sockets.length} watcher sockets connected in ${fmt((performance.now() - t) / 1000, 2)} s over ${n} instance(s)`);
  try {
    const receiver = listen(sockets, productId, instanceOf);
    let initial = NaN;
    for (let i = 0; i < sockets.length; i += 500) {
      for (const ack of await watchAll(sockets.slice(i, i + 500), productId)) initial = ack.available[productId];
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
    const cpu = cpuMeters({ ...serverPids(servers), redis: await localRedisPid(redisUrl) });
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
    const cpuUsPerDelivery = (serverCpu(used) / 100 / deliveryRate) * 1e6; // µs of server CPU (all instances) per delivery
    console.log(
      `Larder fan-out: ${cfg.watchers} watchers, ${changes} changes (one sent every ${cfg.changeMs} ms, ${changeErrors} errors) ` +
        `→ ${pushes} distinct values pushed (${fmt(pushRate)}/s), ${receiver.values.length} deliveries (${fmt(receiver.values.length / (windowMs / 1000))}/s); ` +
        `delivery p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(maxOf(fromSend.latencies))} ms from the change's send ` +
        `(from its ack: p50 ${fmt(percentile(fromAck.latencies, 50))} ms, p99 ${fmt(percentile(fromAck.latencies, 99))} ms: acks queue behind the broadcast); ${fromSend.unmatched} unmatched; ` +
        `final value ${final} on ${cfg.watchers - stale}/${cfg.watchers} sockets; CPU (% of one core): server${n > 1 ? 's' : ''} ${fmt(serverCpu(used))}, Redis ${fmt(used.redis)}, load generator ${fmt(used.generator)}`,
    );
    if (n > 1) {
      const deliveries = perInstance(n, receiver.instance);
      const local = deliveryLatencies(receiver, initial, sendAt, (i) => i === 0).latencies;
      const cross = deliveryLatencies(receiver, initial, sendAt, (i) => i !== 0).latencies;
      console.log(
        `[${n} instances, ${servers.adapter} adapter] ${instanceCpuText(used, deliveries, windowMs, 'delivery')}; ` +
          `delivery p99 on the changer's instance ${fmt(percentile(local, 99))} ms (${local.length}), cross-instance ${fmt(percentile(cross, 99))} ms (${cross.length}), ` +
          `cross-instance p50 ${fmt(percentile(cross, 50))} ms`,
      );
    }
    return {
      initial,
      p99: s.p99,
      pushIntervalMs: Math.max(10, Math.round(windowMs / Math.max(1, receiver.values.length / cfg.watchers))),
      cpuUsPerDelivery,
      staleSockets: stale,
    };
  } finally {
    closeAll([...sockets, changer]);
    await pause(1_000);
  }
}

/**
 * `products:watch` from every socket; a watch refused UNAVAILABLE (a Redis command timing out while
 * the shared box is overloaded) is retried a few times before the bench gives up.
 */
async function watchAll(sockets: Socket[], productId: string): Promise<Array<{ available: Record<string, number> }>> {
  const watch = async (s: Socket) => {
    for (let attempt = 1; ; attempt++) {
      const ack: Ack = await s.timeout(30_000).emitWithAck('products:watch', { productIds: [productId] });
      if (ack.ok) return ack.data as { available: Record<string, number> };
      if (ack.error.code !== 'UNAVAILABLE' || attempt === 5) throw new Error(`products:watch failed: ${ack.error.code}`);
      await pause(500 * attempt);
    }
  };
  return Promise.all(sockets.map(watch));
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

async function bareFanOut(child: ChildProcess, cfg: FanOutConfig, initial: number, intervalMs: number) {
  const [ready] = (await once(child, 'message')) as [{ type: string; port: number }];
  if (ready.type !== 'listening') throw new Error('bare server did not start');
  const url = `http://127.0.0.1:${ready.port}`;
  const productId = '00000000-0000-4000-8000-000000000000';
  const room = `product:${productId}`;
  const t = performance.now();
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
