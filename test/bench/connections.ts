import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { benchEnv, cleanUp, connect, cpuMeter, insertProducts, insertUsers, loadAverage, pause, signTokens, type BenchEnv } from './bench-support.js';
import { parseCartArgs, type Ack } from './cart-bench-support.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { fmt, percentile } from './stats.js';

/**
 * `npm run bench -- connections [--quick] [--sockets N] [--storm-rate 2000] [--storm-seconds 2]
 *   [--watchers 5000] [--changes 10] [--workers 2]`
 *
 * One Larder server process holding `--sockets` authenticated sockets (default 20,000, lowered to what
 * the open-file limit of one process allows, printed): first an idle set (one socket per customer,
 * tokens signed with the server's JWT secret, connected as fast as the handshakes go), then a connect
 * storm of `--storm-rate` handshakes/s for `--storm-seconds` through the same handshake (JWT verify,
 * revocation check, the per-user socket slot, user room join): customers opening 10 sockets each (the
 * SOCKETS_PER_USER cap), 1 % of them an 11th that must be refused with TOO_MANY_CONNECTIONS, exactly.
 * Then `--watchers` of the sockets watch one product and a customer changes its stock `--changes`
 * times, 300 ms apart: delivery latency from each change's send to each watcher's `stock:changed`
 * carrying its value, and every watcher must end on the last value.
 * Baseline in the same run: a bare Socket.IO server (bare-broadcast-server.ts: same engine options, no
 * adapter, no auth, no handlers) holding the idle set, then taking a storm of as many handshakes at the
 * same rate from the same client processes (its achieved rate and CPU per handshake are the machine's
 * limit with these clients); RSS per socket = (RSS with the sockets − RSS before) ÷ sockets, for both.
 * The sockets come from `--workers` load-generator processes (connections-client.ts, lean websocket
 * clients, as mobile apps connect).
 */
export async function run(args: string[]): Promise<void> {
  const { quick, opt } = parseCartArgs(args, OPTIONS);
  const fdLimit = openFileLimit();
  const wanted = opt('sockets', 20_000, 2_000);
  const cfg = {
    sockets: Math.min(wanted, fdLimit - FDS_BESIDES_SOCKETS),
    stormRate: opt('storm-rate', 2_000, 1_000),
    stormSeconds: opt('storm-seconds', 2, 1),
    watchers: opt('watchers', 5_000, 500),
    changes: opt('changes', 10, 5),
    // Two lean client processes open 2,000 handshakes/s at ~0.17 ms of CPU each; four only contended with the server for 2 cores.
    workers: opt('workers', 2, 2),
  };
  const storm = Math.round(cfg.stormRate * cfg.stormSeconds);
  const idle = cfg.sockets - storm;
  if (idle < 0 || cfg.watchers > cfg.sockets) throw new Error('--sockets must hold the storm and the watchers');
  console.log(
    `connections bench${quick ? ' (quick)' : ''}: ${cfg.sockets} sockets on one server (${idle} idle + a storm of ${storm} at ${cfg.stormRate}/s), ` +
      `${cfg.watchers} watchers × ${cfg.changes} stock changes, ${cfg.workers} client processes`,
  );
  if (cfg.sockets < wanted) {
    console.log(
      `sockets lowered from ${wanted} to ${cfg.sockets}: a process may open ${fdLimit} files here (hard RLIMIT_NOFILE, not raisable ` +
        `without privileges) and the server needs ~${FDS_BESIDES_SOCKETS} besides its sockets`,
    );
  }
  const env = benchEnv('connections');
  console.log(`database ${env.dbName}, Redis prefix ${env.redisPrefix} (both removed at the end); load average ${loadAverage()}`);
  const workers = await Promise.all(Array.from({ length: cfg.workers }, () => forkWorker()));
  let server: ServerProcess | undefined;
  try {
    const stormUsers = Math.ceil(storm / SOCKETS_PER_USER);
    const bare = await bareRun(workers, idle, stormUsers * SOCKETS_PER_USER + greedyOf(stormUsers), cfg.stormRate);
    server = await startServerProcess(env.serverEnv);
    const seeded = await seed(env, idle, stormUsers);
    const larder = await larderIdle(workers, server, seeded, idle);
    console.log(
      `RSS per idle socket: Larder ${fmt(larder.kbPerSocket, 1)} KB, bare Socket.IO ${fmt(bare.kbPerSocket, 1)} KB → ${fmt(larder.kbPerSocket / bare.kbPerSocket, 2)}× ` +
        `(target ≤ 1.3×) ${larder.kbPerSocket / bare.kbPerSocket <= 1.3 ? 'MET' : 'MISSED'}`,
    );
    await connectStorm(workers, server, seeded, cfg.stormRate, bare.storm);
    await stockChange(workers, server, seeded, cfg.watchers, cfg.changes);
    console.log(`server RSS with ${cfg.sockets} sockets: ${fmt(rssKb(server.pid) / 1024, 0)} MB; load average ${loadAverage()}`);
  } finally {
    await Promise.all(workers.map((w) => (w.exitCode === null ? ask(w, { type: 'close' }).catch(() => undefined) : undefined)));
    for (const w of workers) w.kill('SIGTERM');
    await server?.stop();
    await cleanUp(env);
  }
}

const OPTIONS = {
  sockets: { type: 'string' },
  'storm-rate': { type: 'string' },
  'storm-seconds': { type: 'string' },
  watchers: { type: 'string' },
  changes: { type: 'string' },
  workers: { type: 'string' },
} as const;

/** Files the server holds besides client sockets: Redis and PostgreSQL connections, the listener, stdio, epoll, … */
const FDS_BESIDES_SOCKETS = 200;
const SOCKETS_PER_USER = 10; // the server's SOCKETS_PER_USER default
const CHANGE_GAP_MS = 300; // > the 100 ms push coalescing, so each change is pushed on its own

interface Seeded {
  idle: string[];
  storm: string[];
  changer: string;
  productId: string;
}

async function seed(env: BenchEnv, idle: number, stormUsers: number): Promise<Seeded> {
  const db = new pg.Client({ connectionString: env.databaseUrl });
  await db.connect();
  try {
    const [merchant] = await insertUsers(db, 1, 'merchant');
    const customers = await insertUsers(db, idle + stormUsers + 1, 'customer');
    const [productId] = await insertProducts(db, merchant.id, 1, 1_000_000);
    const tokens = await signTokens(env.jwtSecret, customers);
    return { idle: tokens.slice(0, idle), storm: tokens.slice(idle, idle + stormUsers), changer: tokens[idle + stormUsers], productId };
  } finally {
    await db.end();
  }
}

/** The hard limit on open files of this process (children inherit it): /proc/self/limits. */
function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const hard = Number(line?.trim().split(/\s+/)[4]);
  return Number.isFinite(hard) ? hard : 1_048_576;
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
}

interface ConnectReply {
  connected: number;
  refused: Record<string, number>;
  latencies: number[];
  startedAt: number;
  finishedAt: number;
}

async function forkWorker(): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL('./connections-client.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [ready] = (await once(child, 'message')) as [{ type: string }];
  if (ready.type !== 'ready') throw new Error('load generator did not start');
  return child;
}

/** Sends one request to a worker and waits for its answer (one request in flight per worker). */
async function ask<T>(worker: ChildProcess, message: { type: string } & Record<string, unknown>): Promise<T> {
  const answered = new Promise<T>((resolve, reject) => {
    const onExit = () => reject(new Error(`load generator exited during ${message.type}`));
    const onMessage = (reply: { type: string }) => {
      if (reply.type !== message.type) return;
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      resolve(reply as T);
    };
    worker.on('message', onMessage);
    worker.once('exit', onExit);
  });
  worker.send(message);
  return answered;
}

/** Spreads handshakes round-robin over the workers, each at its share of `perSecond` (0: as fast as they go). */
async function connectSpread(workers: ChildProcess[], url: string, auths: Array<Record<string, string>>, perSecond: number) {
  const shares = workers.map((_, w) => auths.filter((_, k) => k % workers.length === w));
  const replies = await Promise.all(
    workers.map((w, i) => ask<ConnectReply>(w, { type: 'connect', url, auths: shares[i], perSecond: perSecond / workers.length })),
  );
  const refused: Record<string, number> = {};
  for (const r of replies) for (const [code, n] of Object.entries(r.refused)) refused[code] = (refused[code] ?? 0) + n;
  return {
    connected: replies.reduce((n, r) => n + r.connected, 0),
    refused,
    latencies: replies.flatMap((r) => r.latencies),
    seconds: (Math.max(...replies.map((r) => r.finishedAt)) - Math.min(...replies.map((r) => r.startedAt))) / 1000,
  };
}

const refusedText = (refused: Record<string, number>) =>
  Object.keys(refused).length === 0
    ? 'none refused'
    : `refused: ${Object.entries(refused)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ')}`;

/** RSS growth of a server process while `connectIdle` connects `count` sockets, after they settle. */
async function rssPerSocket(pid: number, count: number, connectIdle: () => Promise<{ connected: number; refused: Record<string, number>; seconds: number }>) {
  await pause(1_000);
  const before = rssKb(pid);
  const r = await connectIdle();
  if (r.connected !== count) throw new Error(`only ${r.connected} of ${count} idle sockets connected (${refusedText(r.refused)})`);
  await pause(3_000);
  const after = rssKb(pid);
  return { before, after, kbPerSocket: (after - before) / count, seconds: r.seconds };
}

interface StormRun {
  rate: number;
  seconds: number;
  connected: number;
  refused: Record<string, number>;
  latencies: number[];
  /** Server CPU over the storm, % of one core, and per handshake in µs. */
  cpu: number;
  usPerHandshake: number;
}

/** `auths.length` handshakes at `perSecond` from the workers to the server at `url`, with the server's CPU over them. */
async function storm(workers: ChildProcess[], url: string, pid: number, auths: Array<Record<string, string>>, perSecond: number): Promise<StormRun> {
  const cpuOf = cpuMeter(pid);
  const r = await connectSpread(workers, url, auths, perSecond);
  const cpu = cpuOf();
  const rate = auths.length / r.seconds;
  return { ...r, rate, cpu, usPerHandshake: (cpu / 100 / rate) * 1e6 };
}

const stormText = (r: StormRun) =>
  `achieved ${fmt(r.rate, 0)}/s over ${fmt(r.seconds, 2)} s; handshake p50 ${fmt(percentile(r.latencies, 50))} ms, p99 ${fmt(percentile(r.latencies, 99))} ms ` +
  `from due time; server CPU ${fmt(r.cpu)}% of one core, ${fmt(r.usPerHandshake, 0)} µs per handshake`;

/**
 * The raw baseline: the bare Socket.IO server holding the same idle set, then taking a storm of as many
 * handshakes at the same rate from the same load-generator processes (no auth, no cap, so all connect).
 */
async function bareRun(workers: ChildProcess[], idle: number, stormHandshakes: number, perSecond: number) {
  const child = fork(fileURLToPath(new URL('./bare-broadcast-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const [ready] = (await once(child, 'message')) as [{ type: string; port: number }];
    if (ready.type !== 'listening') throw new Error('bare server did not start');
    const url = `http://127.0.0.1:${ready.port}`;
    const auths = Array.from({ length: idle }, () => ({ room: 'idle' }));
    const r = await rssPerSocket(child.pid!, idle, () => connectSpread(workers, url, auths, 0));
    console.log(
      `\n[bare] ${idle} idle sockets in ${fmt(r.seconds, 1)} s (${fmt(idle / r.seconds, 0)}/s); RSS ${fmt(r.before / 1024, 0)} → ${fmt(r.after / 1024, 0)} MB, ` +
        `${fmt(r.kbPerSocket, 1)} KB per socket`,
    );
    const s = await storm(
      workers,
      url,
      child.pid!,
      Array.from({ length: stormHandshakes }, () => ({ room: 'storm' })),
      perSecond,
    );
    const errors = stormHandshakes - s.connected;
    console.log(`[bare storm] ${stormHandshakes} handshakes asked at ${perSecond}/s: ${stormText(s)}; ${s.connected} connected, ${refusedText(s.refused)}`);
    if (errors > 0) throw new Error(`${errors} handshakes of the bare storm failed (${refusedText(s.refused)})`);
    return { ...r, storm: s };
  } finally {
    await Promise.all(workers.map((w) => ask(w, { type: 'close' })));
    child.kill('SIGTERM');
    await once(child, 'exit');
    await pause(1_000);
  }
}

async function larderIdle(workers: ChildProcess[], server: ServerProcess, seeded: Seeded, idle: number) {
  const auths = seeded.idle.map((token) => ({ token }));
  const r = await rssPerSocket(server.pid, idle, () => connectSpread(workers, server.url, auths, 0));
  console.log(
    `[larder] ${idle} idle authenticated sockets in ${fmt(r.seconds, 1)} s (${fmt(idle / r.seconds, 0)}/s); RSS ${fmt(r.before / 1024, 0)} → ${fmt(r.after / 1024, 0)} MB, ` +
      `${fmt(r.kbPerSocket, 1)} KB per socket`,
  );
  return r;
}

/** How many of the storm's customers open one socket more than the cap: 1 %, at least one. */
const greedyOf = (stormUsers: number) => Math.max(1, Math.round(stormUsers / 100));

/** Each storm customer opens SOCKETS_PER_USER sockets; 1 % of them one more, which the cap must refuse. */
async function connectStorm(workers: ChildProcess[], server: ServerProcess, seeded: Seeded, perSecond: number, bare: StormRun) {
  const auths: Array<{ token: string }> = [];
  for (let j = 0; j < SOCKETS_PER_USER; j++) for (const token of seeded.storm) auths.push({ token });
  const greedy = greedyOf(seeded.storm.length);
  for (const token of seeded.storm.slice(0, greedy)) auths.push({ token });
  const r = await storm(workers, server.url, server.pid, auths, perSecond);
  const capRefusals = r.refused.TOO_MANY_CONNECTIONS ?? 0;
  const otherErrors = Object.entries(r.refused).reduce((n, [code, k]) => n + (code === 'TOO_MANY_CONNECTIONS' ? 0 : k), 0);
  const expected = auths.length - greedy;
  console.log(
    `[storm] ${auths.length} handshakes asked at ${perSecond}/s: ${stormText(r)}; ${r.connected} connected (expected ${expected}), ` +
      `${refusedText(r.refused)} (expected exactly ${greedy} TOO_MANY_CONNECTIONS)`,
  );
  console.log(
    `storm vs bare Socket.IO in the same run: rate ${fmt(r.rate, 0)}/s vs ${fmt(bare.rate, 0)}/s → ${fmt(r.rate / bare.rate, 2)}; ` +
      `CPU per handshake ${fmt(r.usPerHandshake, 0)} µs vs ${fmt(bare.usPerHandshake, 0)} µs → ${fmt(r.usPerHandshake / bare.usPerHandshake, 2)}×`,
  );
  const met = r.rate >= perSecond * 0.95 && otherErrors === 0 && capRefusals === greedy && r.connected === expected;
  const bareMet = bare.rate >= perSecond * 0.95;
  console.log(
    `connect storm target ${perSecond}/s without errors, cap exact: ${fmt(r.rate, 0)}/s, ${otherErrors} errors, ${capRefusals}/${greedy} cap refusals ` +
      `${met ? 'MET' : 'MISSED'}${met || bareMet ? '' : ` (bare Socket.IO with the same clients: ${fmt(bare.rate, 0)}/s, also short of it on this machine)`}`,
  );
}

interface Deliveries {
  values: number[];
  at: number[];
  last: number[];
}

async function stockChange(workers: ChildProcess[], server: ServerProcess, seeded: Seeded, watchers: number, changes: number) {
  const perWorker = workers.map((_, i) => Math.floor(watchers / workers.length) + (i < watchers % workers.length ? 1 : 0));
  const watched = await Promise.all(
    workers.map((w, i) => ask<{ available: number; errors: number }>(w, { type: 'watch', productId: seeded.productId, count: perWorker[i] })),
  );
  const watchErrors = watched.reduce((n, w) => n + w.errors, 0);
  const initial = watched[0].available;
  const changer = await connect(server.url, { token: seeded.changer });
  const sentAt: number[] = [NaN];
  let failed = 0;
  try {
    await pause(1_000);
    for (let k = 1; k <= changes; k++) {
      sentAt.push(performance.timeOrigin + performance.now());
      const ack: Ack = await changer.timeout(10_000).emitWithAck('cart:add', { productId: seeded.productId, quantity: 1 });
      if (!ack.ok) failed++;
      await pause(CHANGE_GAP_MS);
    }
    await pause(1_500);
  } finally {
    changer.disconnect();
  }
  const got = await Promise.all(workers.map((w) => ask<Deliveries>(w, { type: 'deliveries' })));
  const latencies: number[] = [];
  let unmatched = 0;
  for (const d of got) {
    d.values.forEach((value, i) => {
      const k = initial - value;
      if (k >= 1 && k <= changes) latencies.push(d.at[i] - sentAt[k]);
      else unmatched++;
    });
  }
  const final = initial - changes;
  const stale = got.reduce((n, d) => n + d.last.filter((v) => v !== final).length, 0);
  const p99 = percentile(latencies, 99);
  console.log(
    `[stock change] ${watchers} watchers (${watchErrors} watch errors), ${changes} changes ${CHANGE_GAP_MS} ms apart (${failed} failed): ` +
      `${latencies.length}/${watchers * changes} deliveries, p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(p99)} ms, max ${fmt(percentile(latencies, 100))} ms; ` +
      `${unmatched} unmatched; final value on ${watchers - stale}/${watchers} watchers`,
  );
  const met = p99 <= 250 && stale === 0 && failed === 0 && watchErrors === 0;
  console.log(`stock change to ${watchers} of the sockets p99 ≤ 250 ms: ${fmt(p99)} ms ${met ? 'MET' : 'MISSED'}`);
}
