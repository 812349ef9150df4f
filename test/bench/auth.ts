import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { parseArgs } from 'node:util';
import { hash, verify } from 'argon2';
import pg from 'pg';
import { deleteRedisKeys } from '../support/redis-cleanup.js';
import { ARGON2_OPTIONS } from '../../domain/identity/index.js';
import { defaultArgon2Concurrency } from '../../server/platform/config.js';
import { closedLoop, fixedRate, fmt, summarize } from './stats.js';
import { startServerProcess } from './server-process.js';
import { benchEnv } from './bench-support.js';

/**
 * `npm run bench -- auth [--concurrency 8] [--rate 30] [--seconds 12] [--raw-seconds 9] [--rounds 3]`
 *
 * Password logins through a real server process against the raw argon2id ceiling measured in the
 * same run:
 *  (a) raw: `argon2.verify` in this process with the server's parameters (ARGON2_OPTIONS) and the
 *      server's concurrency (ARGON2_CONCURRENCY, by default one per core, below the libuv pool size): the ceiling;
 *  (b) HTTP logins/s in a closed loop at a fixed concurrency (each worker logs into its own account),
 *      alternating with (a) in short rounds so both see the same background load;
 *  (c) latency at a fixed arrival rate (open loop, 30 logins/s by default).
 *
 * Every request comes from 127.0.0.1, so the per-IP limit on password endpoints is raised for the
 * bench's server (AUTH_IP_LIMIT_PER_5MIN); the per-account limit is untouched (it only keeps
 * counting while logins fail: a success resets it, and every bench login succeeds).
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      concurrency: { type: 'string', default: '8' },
      rate: { type: 'string', default: '30' },
      seconds: { type: 'string', default: '12' },
      'raw-seconds': { type: 'string', default: '9' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const concurrency = Number(values.concurrency);
  const rate = Number(values.rate);
  const durationMs = Number(values.seconds) * 1000;
  const rawMs = Number(values['raw-seconds']) * 1000;
  const rounds = Math.max(1, Number(values.rounds));
  const argon2Concurrency = Number(process.env.ARGON2_CONCURRENCY || defaultArgon2Concurrency());

  // The shared bench environment: production config (PUBLIC_URL, METRICS_TOKEN), its own database and Redis prefix.
  const { adminUrl, redisUrl, dbName, redisPrefix, serverEnv } = benchEnv('auth', {
    ARGON2_CONCURRENCY: String(argon2Concurrency),
    AUTH_IP_LIMIT_PER_5MIN: '1000000000',
  });

  console.log(
    `argon2id m=${ARGON2_OPTIONS.memoryCost} KiB t=${ARGON2_OPTIONS.timeCost} p=${ARGON2_OPTIONS.parallelism}; ` +
      `argon2 concurrency ${argon2Concurrency}, UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}; ` +
      `HTTP concurrency ${concurrency}, fixed rate ${rate}/s, ${durationMs / 1000} s per HTTP phase`,
  );
  console.log(
    `bench server: AUTH_IP_LIMIT_PER_5MIN raised to ${serverEnv.AUTH_IP_LIMIT_PER_5MIN} (all load comes from one IP); database ${dbName} (created by the server, dropped at the end)`,
  );

  const password = 'bench password 0123';
  const storedHash = await hash(password, ARGON2_OPTIONS);
  const raw = () => verify(storedHash, password).then((ok) => void (ok || Promise.reject(new Error('verify failed'))));

  const server = await startServerProcess(serverEnv);
  try {
    const post = jsonPoster(server.url, concurrency * 2);
    // Enough accounts that none passes the account-wide backoff (20 logins per 15 minutes, from any
    // client): the bench measures logins, not the brute-force brake (test/security covers that).
    const accounts = 300;
    const emails = Array.from({ length: accounts }, (_, i) => `bench-${i}-${randomBytes(3).toString('hex')}@bench.larder`);
    for (let i = 0; i < accounts; i += concurrency) {
      await Promise.all(emails.slice(i, i + concurrency).map((email) => post('/api/v1/auth/register', { email, password, name: 'Bench' }, 201)));
    }
    let next = 0;
    const login = () => post('/api/v1/auth/token', { email: emails[next++ % accounts], password }, 200);

    // Warm up both sides (JIT, pools, threads) before measuring anything.
    await closedLoop(argon2Concurrency, 1_000, raw);
    await closedLoop(concurrency, 2_000, () => login());

    // Raw and HTTP phases alternate in short rounds, so both see the same background load on a
    // shared machine; CPU time per operation is taken from the kernel for each side.
    const rawRuns: Run[] = [];
    const httpRuns: Run[] = [];
    let rawCpuMs = 0;
    let serverCpuMs = 0;
    let serverMainCpuMs = 0;
    let clientCpuMs = 0;
    for (let round = 0; round < rounds; round++) {
      const cpu = process.cpuUsage();
      rawRuns.push(await closedLoop(argon2Concurrency, rawMs / rounds, raw));
      const used = process.cpuUsage(cpu);
      rawCpuMs += (used.user + used.system) / 1000;
      const serverCpu = processCpuMs(server.pid);
      const serverMainCpu = processCpuMs(server.pid, server.pid);
      const clientCpu = process.cpuUsage();
      httpRuns.push(await closedLoop(concurrency, durationMs / rounds, () => login()));
      serverCpuMs += processCpuMs(server.pid) - serverCpu;
      serverMainCpuMs += processCpuMs(server.pid, server.pid) - serverMainCpu;
      const client = process.cpuUsage(clientCpu);
      clientCpuMs += (client.user + client.system) / 1000;
    }
    const rawAll = merge(rawRuns);
    const closed = merge(httpRuns);
    const rawStats = summarize(rawAll.latencies, rawAll.elapsedMs);
    const http = summarize(closed.latencies, closed.elapsedMs);
    await pause(1_000);
    const open = await fixedRate(rate, durationMs, () => login());
    const atRate = summarize(open.latencies, open.elapsedMs);

    const rawPerSecond = rawStats.perSecond;
    const ratio = http.perSecond / rawPerSecond;
    const perRound = rawRuns.map((r) => fmt((r.latencies.length / r.elapsedMs) * 1000)).join(', ');
    console.log(
      `raw argon2 verify (in-process, concurrency ${argon2Concurrency}): ${fmt(rawPerSecond)} verifies/s ` +
        `(rounds: ${perRound}), p50 ${fmt(rawStats.p50)} ms, CPU ${fmt(rawCpuMs / rawStats.count)} ms/verify`,
    );
    console.log(
      `HTTP logins (closed loop, concurrency ${concurrency}): ${fmt(http.perSecond)} logins/s, ` +
        `p50 ${fmt(http.p50)} ms, p95 ${fmt(http.p95)} ms, p99 ${fmt(http.p99)} ms, ${http.count} ok, ${closed.errors} errors; ` +
        `CPU per login: server ${fmt(serverCpuMs / http.count)} ms (event loop ${fmt(serverMainCpuMs / http.count)} ms), ` +
        `load generator ${fmt(clientCpuMs / http.count)} ms`,
    );
    console.log(
      `HTTP logins at a fixed ${rate}/s: achieved ${fmt(atRate.perSecond)}/s, p50 ${fmt(atRate.p50)} ms, ` +
        `p95 ${fmt(atRate.p95)} ms, p99 ${fmt(atRate.p99)} ms, ${atRate.count} ok, ${open.errors} errors`,
    );
    console.log(`ratio logins/s ÷ raw verifies/s: ${fmt(ratio, 2)} (target ≥ 0.80) ${ratio >= 0.8 ? 'MET' : 'MISSED'}`);
    console.log(`p95 at ${rate}/s: ${fmt(atRate.p95)} ms (target ≤ 250 ms) ${atRate.p95 <= 250 && open.errors === 0 ? 'MET' : 'MISSED'}`);
  } finally {
    await server.stop();
    await cleanUp(adminUrl, dbName, redisUrl, redisPrefix);
  }
}

type Run = { latencies: number[]; errors: number; elapsedMs: number };

function merge(runs: Run[]): Run {
  return {
    latencies: runs.flatMap((r) => r.latencies),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    elapsedMs: runs.reduce((n, r) => n + r.elapsedMs, 0),
  };
}

/** User + system CPU time a process (or one of its threads) has used so far, in ms (Linux /proc; NaN elsewhere). */
function processCpuMs(pid: number, thread?: number): number {
  try {
    const fields = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8')
      .split(') ')[1]!
      .split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * A lean keep-alive JSON client (node:http): the load generator shares the machine's cores with the
 * server, so it should cost as little CPU per request as possible.
 */
function jsonPoster(baseUrl: string, maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(baseUrl);
  return (path: string, body: unknown, expected: number) =>
    new Promise<{ accessToken: string }>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = httpRequest(
        { agent, hostname, port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== expected) reject(new Error(`${path}: ${res.statusCode} ${text.slice(0, 200)}`));
            else resolve(JSON.parse(text) as { accessToken: string });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function cleanUp(adminUrl: string, dbName: string, redisUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${pg.escapeIdentifier(dbName)} with (force)`);
  } finally {
    await client.end();
  }
  await deleteRedisKeys(redisUrl, prefix);
}
