import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { periodFilter } from '../../domain/analytics/period-sql.js';
import { itemTotalsSql, pairsSql, timeBucketsSql } from '../../domain/analytics/menu/menu-sql.js';
import { createContainer } from '../../server/app/container.js';
import { loadConfig } from '../../server/platform/config.js';
import { importGenerated, type ImportFigures } from './analytics-data.js';
import { benchEnv, cleanUp, closeAll, connect, connectMany, insertUsers, loadAverage, signTokens, type BenchEnv } from './bench-support.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { fixedRate, fmt, percentile, summarize } from './stats.js';

const YEAR = { from: '2025-01-01', to: '2025-12-31' };

/**
 * `npm run bench -- analytics [--quick] [--lines 1000000] [--runs 10000] [--cached 300] [--ack-rate 200]`
 *
 * One merchant with `--lines` generated transaction lines over 2025 (60 items, orders of 1–5 lines),
 * loaded through the transactions import type (stage + upsert per batch of 5,000, the component figure
 * of the CSV import; the streamed pipeline around it is not on this branch). Then, on a server process
 * of role `all` (HTTP, sockets and the job worker in one process):
 *   - GET /analytics/menu for the year, cold (first request) and cached (`--cached` requests, p50/p99);
 *   - raw baseline in the same run: the three aggregate queries the service sends, through `pg`;
 *   - a `--runs` simulation over the year, POST to `simulation:finished`, while customers' `cart:get`
 *     acks are measured at `--ack-rate`/s on the same server process (p50/p99), and before it for comparison.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      lines: { type: 'string' },
      runs: { type: 'string' },
      cached: { type: 'string' },
      'ack-rate': { type: 'string' },
    },
  });
  const quick = values.quick || process.env.BENCH_QUICK === '1';
  const cfg = {
    lines: Number(values.lines ?? (quick ? 200_000 : 1_000_000)),
    runs: Number(values.runs ?? 10_000),
    cached: Number(values.cached ?? 300),
    ackRate: Number(values['ack-rate'] ?? 200),
  };
  const env = benchEnv('analytics', { PROCESS_ROLE: 'all' });
  console.log(`analytics bench${quick ? ' (quick)' : ''}: ${JSON.stringify(cfg)}; database ${env.dbName} (removed at the end); load average ${loadAverage()}`);
  const server = await startServerProcess(env.serverEnv);
  const raw = new pg.Pool({ connectionString: env.databaseUrl, max: 4 });
  try {
    const [merchant] = await insertUsers(raw, 1, 'merchant');
    const imported = await load(env, merchant.id, cfg.lines);
    printImport(imported);
    await measureMenu(server, raw, env, merchant.id, cfg.cached);
    await measureSimulation(server, raw, env, merchant.id, cfg);
  } finally {
    await raw.end();
    await server.stop();
    await cleanUp(env);
  }
}

async function load(env: BenchEnv, merchantId: string, lines: number): Promise<ImportFigures> {
  const container = await createContainer(loadConfig({ ...env.serverEnv, PROCESS_ROLE: 'server', LOG_LEVEL: 'warn' }));
  try {
    const { orm, events, clock, modules } = container;
    return await importGenerated({ em: orm.em as EntityManager, events, clock, type: modules.analytics.transactionsImport, merchantId }, lines, 5_000);
  } finally {
    await container.close();
  }
}

function printImport(f: ImportFigures): void {
  console.log(
    `import type (stage + upsert, batches of 5,000, generation included): ${f.lines} lines in ${fmt(f.seconds)} s = ${fmt(f.perSecond, 0)} lines/s; ` +
      `per batch p50 ${fmt(f.batchP50Ms, 0)} ms (${fmt(f.batchLinesPerSecond, 0)} lines/s), p95 ${fmt(f.batchP95Ms, 0)} ms`,
  );
}

async function measureMenu(server: ServerProcess, raw: pg.Pool, env: BenchEnv, merchantId: string, cachedRequests: number): Promise<void> {
  const token = (await signTokens(env.jwtSecret, [{ id: merchantId, role: 'merchant' }]))[0];
  const url = `${server.url}/api/v1/analytics/menu?from=${YEAR.from}&to=${YEAR.to}`;
  const get = async () => {
    const t = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { totals: { units: number; revenueCents: number }; items: unknown[] };
    if (res.status !== 200) throw new Error(`menu answered ${res.status}`);
    return { ms: performance.now() - t, body };
  };
  const cold = await get();
  const cached: number[] = [];
  for (let i = 0; i < cachedRequests; i++) cached.push((await get()).ms);
  const rawFigures = await rawAggregates(raw, merchantId);
  const [check] = (await raw.query(`select sum(quantity * unit_price_cents)::float8 as revenue, sum(quantity)::float8 as units from analytics_transactions`))
    .rows;
  const agrees = Math.round(check.revenue) === cold.body.totals.revenueCents && Math.round(check.units) === cold.body.totals.units;
  console.log(
    `menu analysis for the year, cold: ${fmt(cold.ms, 0)} ms (${cold.body.items.length} items; totals ${agrees ? 'match' : 'DO NOT match'} a raw sum)`,
  );
  const s = summarize(cached, 1);
  console.log(`menu analysis, cached (${cachedRequests} sequential GETs): p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms`);
  console.log(
    `raw SQL through pg (same queries): items ${fmt(rawFigures.items, 0)} ms, hours+weekdays ${fmt(rawFigures.time, 0)} ms, pairs ${fmt(rawFigures.pairs, 0)} ms; ` +
      `the three at once ${fmt(rawFigures.parallel, 0)} ms → cold HTTP / raw parallel = ${fmt(cold.ms / rawFigures.parallel, 2)}`,
  );
}

/** The three aggregates the service sends, through plain `pg`: one at a time, then at once on three connections. */
async function rawAggregates(raw: pg.Pool, merchantId: string) {
  const filter = periodFilter({ merchantId, ...YEAR }, 'UTC');
  const queries = { items: itemTotalsSql(filter, 30), time: timeBucketsSql(filter, 'UTC'), pairs: pairsSql(filter, 0.005) };
  const toPg = (text: string) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  };
  const timed = async (q: { text: string; params: readonly unknown[] }) => {
    const t = performance.now();
    await raw.query(toPg(q.text), [...q.params]);
    return performance.now() - t;
  };
  const items = await timed(queries.items);
  const time = await timed(queries.time);
  const pairs = await timed(queries.pairs);
  const t = performance.now();
  await Promise.all(Object.values(queries).map(timed));
  return { items, time, pairs, parallel: performance.now() - t };
}

async function measureSimulation(
  server: ServerProcess,
  raw: pg.Pool,
  env: BenchEnv,
  merchantId: string,
  cfg: { runs: number; ackRate: number },
): Promise<void> {
  const customers = await insertUsers(raw, 20, 'customer');
  const tokens = await signTokens(env.jwtSecret, customers);
  const sockets = await connectMany(tokens.length, (i) => connect(server.url, { token: tokens[i] }));
  const [merchantToken] = await signTokens(env.jwtSecret, [{ id: merchantId, role: 'merchant' }]);
  const watcher = await connect(server.url, { token: merchantToken });
  try {
    const ack = (i: number) => sockets[i % sockets.length].timeout(10_000).emitWithAck('cart:get', {});
    const idle = await fixedRate(cfg.ackRate, 3_000, ack);
    const idleSummary = summarize(idle.latencies, idle.elapsedMs);
    console.log(`socket acks (cart:get, ${cfg.ackRate}/s) with no simulation: p50 ${fmt(idleSummary.p50)} ms, p99 ${fmt(idleSummary.p99)} ms`);
    const sim = await simulateWhileAcking(server, watcher, merchantToken, cfg, ack);
    const during = summarize(sim.acks.latencies, sim.acks.elapsedMs);
    console.log(
      `simulation of ${cfg.runs} runs over the year: ${fmt(sim.seconds, 2)} s from POST to simulation:finished (${sim.progress} progress pushes, ` +
        `p50 revenue ${sim.p50Revenue} vs baseline ${sim.baseline}); socket acks meanwhile: p50 ${fmt(during.p50)} ms, p99 ${fmt(during.p99)} ms, ` +
        `max ${fmt(percentile(sim.acks.latencies, 100))} ms, ${sim.acks.errors} errors`,
    );
  } finally {
    closeAll([...sockets, watcher]);
  }
}

async function simulateWhileAcking(
  server: ServerProcess,
  watcher: Socket,
  token: string,
  cfg: { runs: number; ackRate: number },
  ack: (i: number) => Promise<unknown>,
) {
  let progress = 0;
  let stopAcks = false;
  const acks = { latencies: [] as number[], errors: 0, elapsedMs: 0 };
  const started = performance.now();
  const res = await fetch(`${server.url}/api/v1/analytics/simulations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...YEAR, runs: cfg.runs, seed: 1, changes: [] }),
  });
  const { id } = (await res.json()) as { id: string };
  watcher.on('simulation:progress', (p: { id: string }) => void (p.id === id && progress++));
  const finished = new Promise<{ result: { revenueCents: { p50: number }; baseline: { revenueCents: number } } }>((resolve) =>
    watcher.on('simulation:finished', (p: { id: string; result: never }) => p.id === id && resolve(p)),
  );
  await watcher.timeout(10_000).emitWithAck('simulation:watch', { id });
  const load = (async () => {
    while (!stopAcks) {
      const window = await fixedRate(cfg.ackRate, 500, ack);
      acks.latencies.push(...window.latencies);
      acks.errors += window.errors;
      acks.elapsedMs += window.elapsedMs;
    }
  })();
  const done = await finished;
  const seconds = (performance.now() - started) / 1000;
  stopAcks = true;
  await load;
  return { seconds, progress, acks, p50Revenue: done.result.revenueCents.p50, baseline: done.result.baseline.revenueCents };
}
