import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { periodFilter } from '../../domain/analytics/period-sql.js';
import { itemTotalsSql, pairsSql, timeBucketsSql } from '../../domain/analytics/menu/menu-sql.js';
import { writeTransactionsCsv } from './analytics-data.js';
import { benchEnv, cleanUp, closeAll, connect, connectMany, insertUsers, loadAverage, signTokens, type BenchEnv } from './bench-support.js';
import { importOverHttp, psql } from './import-over-http.js';
import { buildDist, startServerProcess, type ServerProcess } from './server-process.js';
import { fixedRate, fmt, percentile, summarize } from './stats.js';

const YEAR = { from: '2025-01-01', to: '2025-12-31' };

/**
 * `npm run bench -- analytics [--quick] [--lines 1000000] [--runs 10000] [--cached 300] [--ack-rate 200]`
 *
 * One merchant with `--lines` generated transaction lines over 2025 (60 items, orders of 1–5 lines),
 * written as a standard-shape CSV and imported end to end on a server process of role `all` (HTTP,
 * sockets and the job worker in one process): POST /imports?type=transactions to `import:finished`,
 * then the same file again (nothing changes). Raw baseline: psql `\copy` of the file into a table and
 * one `INSERT … SELECT` into the transactions of another merchant. Then, on the same server:
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
      tsx: { type: 'boolean', default: false },
    },
  });
  const quick = values.quick || process.env.BENCH_QUICK === '1';
  const cfg = {
    lines: Number(values.lines ?? (quick ? 200_000 : 1_000_000)),
    runs: Number(values.runs ?? 10_000),
    cached: Number(values.cached ?? 300),
    ackRate: Number(values['ack-rate'] ?? 200),
  };
  const dir = mkdtempSync(join(tmpdir(), 'larder-bench-analytics-'));
  const env = benchEnv('analytics', { PROCESS_ROLE: 'all', STORAGE_DIR: join(dir, 'storage') });
  console.log(`analytics bench${quick ? ' (quick)' : ''}: ${JSON.stringify(cfg)}; database ${env.dbName} (removed at the end); load average ${loadAverage()}`);
  const file = await writeTransactionsCsv(join(dir, 'transactions.csv'), cfg.lines, 2025);
  // As the Docker image runs it (compiled JavaScript); `--tsx` runs the sources, where each simulation
  // thread also starts tsx and compiles the engine's TypeScript before its first run.
  const entry = values.tsx ? 'tsx' : 'compiled';
  if (entry === 'compiled') await buildDist();
  console.log(`server: ${entry === 'tsx' ? 'TypeScript under tsx' : 'compiled (dist/)'}`);
  const server = await startServerProcess(env.serverEnv, entry);
  const raw = new pg.Pool({ connectionString: env.databaseUrl, max: 4 });
  try {
    const [merchant, rawMerchant] = await insertUsers(raw, 2, 'merchant');
    await measureImport(server, raw, env, file, merchant.id, rawMerchant.id);
    await measureMenu(server, raw, env, merchant.id, cfg.cached);
    await measureSimulation(server, raw, env, merchant.id, cfg);
  } finally {
    await raw.end();
    await server.stop();
    await cleanUp(env);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CSV through POST /imports, twice (the second changes nothing), next to psql \copy + one INSERT … SELECT. */
async function measureImport(
  server: ServerProcess,
  db: pg.Pool,
  env: BenchEnv,
  file: { path: string; bytes: number; lines: number },
  merchantId: string,
  rawMerchantId: string,
) {
  const rawMs = await rawImport(env.databaseUrl, db, file.path, rawMerchantId);
  console.log(
    `raw: psql \\copy + one INSERT … SELECT of ${file.lines} lines (${fmt(file.bytes / 1e6)} MB): ${fmt(rawMs / 1000, 2)} s = ${fmt(file.lines / (rawMs / 1000), 0)} lines/s`,
  );
  await db.query(`delete from analytics_transactions where merchant_id = $1`, [rawMerchantId]);
  await db.query('vacuum analyze analytics_transactions');
  const token = async () => (await signTokens(env.jwtSecret, [{ id: merchantId, role: 'merchant' }]))[0];
  for (const label of ['first run', 'same file again']) {
    const run = await importOverHttp(server.url, await token(), file, 'transactions');
    const rolledUpMs = await untilRolledUp(db, merchantId);
    const x = run.result;
    console.log(
      `import over HTTP, ${label}: ${fmt(run.totalMs / 1000, 2)} s end to end = ${fmt(file.lines / (run.totalMs / 1000), 0)} lines/s (upload ${fmt(run.uploadMs / 1000, 2)} s), ` +
        `${x.status}; read ${x.rowsRead}, upserted ${x.rowsUpserted}, unchanged ${x.rowsUnchanged}, rejected ${x.rowsRejected}; ` +
        `time / raw ${fmt(run.totalMs / rawMs, 2)}; progress ${run.pushes} pushes, longest gap ${run.maxGapMs} ms; ` +
        `daily rollups up to date ${fmt(rolledUpMs / 1000, 2)} s after import:finished; phases from: ${Object.entries(run.phases)
          .map(([phase, ms]) => `${phase} ${fmt(ms / 1000, 2)} s`)
          .join(', ')}`,
    );
  }
  const [{ n }] = (await db.query(`select count(*)::int as n from analytics_transactions where merchant_id = $1`, [merchantId])).rows;
  console.log(`check: ${n} lines stored ${n === file.lines ? '= the lines of the file' : `≠ ${file.lines} lines of the file (FAILED)`}`);
}

/** How long after now the merchant's daily rollups are built and have no dirty day left (the server refreshes them after an import). */
async function untilRolledUp(db: pg.Pool, merchantId: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query(
      `select exists (select 1 from analytics_rollup_state where merchant_id = $1) as built,
              exists (select 1 from analytics_dirty_days where merchant_id = $1) as dirty`,
      [merchantId],
    );
    if (rows[0].built && !rows[0].dirty) return performance.now() - started;
    if (performance.now() - started > 120_000) throw new Error('the daily rollups were not refreshed within 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** psql \copy of the file into a table, then the lines into analytics_transactions in one statement (items first). */
async function rawImport(databaseUrl: string, db: pg.Pool, path: string, merchantId: string): Promise<number> {
  const started = performance.now();
  await db.query(
    `create unlogged table raw_tx (row_no bigserial, order_id text, ts timestamptz, item text, quantity float8, unit_price numeric, unit_cost numeric, category text)`,
  );
  await psql(databaseUrl, `\\copy raw_tx (order_id, ts, item, quantity, unit_price, unit_cost, category) from '${path}' with (format csv, header)`);
  await db.query(
    `insert into analytics_items (merchant_id, name, category) select distinct on (item) $1::uuid, item, category from raw_tx order by item
     on conflict (merchant_id, name) do nothing`,
    [merchantId],
  );
  await db.query(
    `insert into analytics_transactions (merchant_id, closed_at, quantity, item_id, unit_price_cents, unit_cost_cents, source, source_line_id, order_id)
     select $1::uuid, r.ts, r.quantity, i.id, (r.unit_price * 100)::int, (r.unit_cost * 100)::int, 'csv', r.row_no::text, r.order_id
     from raw_tx r join analytics_items i on i.merchant_id = $1 and i.name = r.item
     on conflict (merchant_id, source, source_line_id) do nothing`,
    [merchantId],
  );
  await db.query('drop table raw_tx');
  return performance.now() - started;
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
  const [check] = (
    await raw.query(
      `select sum(quantity * unit_price_cents)::float8 as revenue, sum(quantity)::float8 as units from analytics_transactions where merchant_id = $1`,
      [merchantId],
    )
  ).rows;
  const agrees = Math.round(check.revenue) === cold.body.totals.revenueCents && Math.round(check.units) === cold.body.totals.units;
  console.log(
    `menu analysis for the year, cold: ${fmt(cold.ms, 0)} ms (${cold.body.items.length} items; totals ${agrees ? 'match' : 'DO NOT match'} a raw sum)`,
  );
  const s = summarize(cached, 1);
  console.log(`menu analysis, cached (${cachedRequests} sequential GETs): p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms`);
  console.log(
    `raw SQL over the lines through pg (the three aggregates the analysis ran before the daily rollups): items ${fmt(rawFigures.items, 0)} ms, hours+weekdays ${fmt(rawFigures.time, 0)} ms, pairs ${fmt(rawFigures.pairs, 0)} ms; ` +
      `the three at once ${fmt(rawFigures.parallel, 0)} ms → cold HTTP / raw parallel = ${fmt(cold.ms / rawFigures.parallel, 2)}`,
  );
}

/** The three aggregates over the lines (the computation before the rollups), through plain `pg`: one at a time, then at once on three connections. */
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
