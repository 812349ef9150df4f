import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchEnv, cleanUp, insertUsers, loadAverage, SERVER_NODE_FLAGS, signTokens } from './bench-support.js';
import { writeFulfilStyleCsv, type GeneratedFile } from './import-data.js';
import { importOverHttp, psql, type HttpRun } from './import-over-http.js';
import { buildDist, startServerProcess, startWorkerProcess } from './server-process.js';
import { fmt } from './stats.js';

/**
 * `npm run bench -- import [--rows 500000] [--quick] [--tsx]`
 *
 * A generated Fulfil-style CSV (500k rows ≈ 50 MB, 5 % case-variant duplicate SKUs, 1 % bad rows) is
 * uploaded over HTTP to a server process and imported by a separate worker process, end to end: from
 * the first byte sent to `import:finished` seen by a socket watching the import (its progress pushes
 * are timed too). Then the same file again (nothing changes). Raw baseline in the same run, first, on
 * the empty table: psql `\copy` of the same file into a staging table, then the same set-based upsert
 * (last row per SKU wins, ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM) through `pg`, in batches
 * of the import's size. Peak RSS (VmHWM) of the server and the worker is read from /proc at the end.
 * Both processes run as the Docker image runs them: the compiled JavaScript (`npm run build`, done
 * first), the worker with docker-compose's NODE_OPTIONS; `--tsx` runs the TypeScript sources under tsx
 * (as `npm start`: ~25 MB more per process, the compiler's own heap).
 */
/** The worker's NODE_OPTIONS in docker-compose.yml (a small young generation; a compacted heap before each import). */
const WORKER_NODE_FLAGS = ['--max-semi-space-size=4', '--expose-gc'];

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { quick: { type: 'boolean', default: false }, rows: { type: 'string' }, tsx: { type: 'boolean', default: false } },
  });
  const entry = values.tsx ? 'tsx' : 'compiled';
  const quick = values.quick || process.env.BENCH_QUICK === '1';
  const rows = Number(values.rows ?? (quick ? 50_000 : 500_000));
  const batchRows = Number(process.env.IMPORT_BATCH_ROWS ?? 5_000);
  const dir = mkdtempSync(join(tmpdir(), 'larder-bench-import-'));
  const env = benchEnv('import', { STORAGE_DIR: join(dir, 'storage'), IMPORT_BATCH_ROWS: String(batchRows) });
  const file = await writeFulfilStyleCsv(join(dir, 'products.csv'), rows);
  console.log(
    `import bench: ${rows} rows, ${fmt(file.bytes / 1e6)} MB (${file.duplicates} duplicate SKUs, ${file.bad} bad rows), batches of ${batchRows}; ` +
      `database ${env.dbName}; load average ${loadAverage()}`,
  );
  if (entry === 'compiled') await buildDist();
  console.log(
    `processes: ${entry === 'tsx' ? 'TypeScript under tsx' : 'compiled (dist/)'}; server node flags: ${SERVER_NODE_FLAGS.join(' ')}; worker node flags: ${process.env.BENCH_WORKER_NODE_FLAGS ?? WORKER_NODE_FLAGS.join(' ')}`,
  );
  // The server with docker-compose's server NODE_OPTIONS (the small young generation upload bodies need).
  const server = await startServerProcess({ ...env.serverEnv, NODE_OPTIONS: SERVER_NODE_FLAGS.join(' ') }, entry);
  const worker = await startWorkerProcess(env.serverEnv, { entry, nodeFlags: WORKER_NODE_FLAGS });
  const db = new pg.Pool({ connectionString: env.databaseUrl, max: 2 });
  try {
    const [merchant, rawMerchant] = await insertUsers(db, 2, 'merchant');
    // Access tokens live 5 minutes (and a socket is closed when its token expires): a fresh one per run.
    const token = async () => (await signTokens(env.jwtSecret, [merchant]))[0];

    const raw = await rawImport(env.databaseUrl, db, file, rawMerchant.id, batchRows);
    console.log(
      `raw: psql \\copy ${fmt(raw.copyMs / 1000, 2)} s + upsert ${fmt(raw.upsertMs / 1000, 2)} s = ${fmt(raw.totalMs / 1000, 2)} s (${raw.rows} products)`,
    );
    await db.query(`delete from products where merchant_id = $1`, [rawMerchant.id]);
    await db.query('vacuum analyze products');

    const first = await importOverHttp(server.url, await token(), file, 'products');
    report('Larder, first run', first, raw.totalMs);
    const second = await importOverHttp(server.url, await token(), file, 'products');
    report('Larder, same file again', second, raw.totalMs);
    console.log(`second ÷ first: ${fmt(second.totalMs / first.totalMs, 2)}`);
    console.log(`peak RSS: server ${fmt(peakRssMb(server.pid), 0)} MB, worker ${fmt(peakRssMb(worker.pid), 0)} MB`);
    const [{ n }] = (await db.query(`select count(*)::int as n from products where merchant_id = $1`, [merchant.id])).rows;
    if (n !== first.result.rowsUpserted || second.result.rowsUpserted !== 0)
      throw new Error(`check failed: ${n} products, second run upserted ${second.result.rowsUpserted}`);
    console.log(`check: ${n} products = rows upserted by the first run; the second run upserted none`);
  } finally {
    await db.end();
    await server.stop();
    await worker.stop();
    await cleanUp(env);
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(label: string, r: HttpRun, rawMs: number): void {
  const x = r.result;
  console.log(
    `${label}: ${fmt(r.totalMs / 1000, 2)} s end to end (upload ${fmt(r.uploadMs / 1000, 2)} s), ${x.status}; read ${x.rowsRead}, upserted ${x.rowsUpserted}, ` +
      `unchanged ${x.rowsUnchanged}, duplicate ${x.rowsDuplicate}, rejected ${x.rowsRejected}; ratio to raw ${fmt(r.totalMs / rawMs, 2)}; ` +
      `progress: ${r.pushes} pushes, ${fmt(r.pushesPerSecond, 1)}/s, longest gap ${r.maxGapMs} ms`,
  );
}

/** psql \copy into a staging table, then the set-based upsert through pg, batch by batch. */
async function rawImport(databaseUrl: string, db: pg.Pool, file: GeneratedFile, merchantId: string, batchRows: number) {
  const started = Date.now();
  await db.query(
    `drop table if exists raw_stage; create unlogged table raw_stage (row_no bigserial, name text, sku text, description text, price text, stock text)`,
  );
  await psql(databaseUrl, `\\copy raw_stage (name, sku, description, price, stock) from '${file.path}' with (format csv, header)`);
  const copyMs = Date.now() - started;
  await db.query(`create index on raw_stage (row_no); analyze raw_stage`);
  const { rows } = await db.query<{ last: string }>(`select max(row_no) as last from raw_stage`);
  const last = Number(rows[0].last);
  let written = 0;
  for (let from = 1; from <= last; from += batchRows) {
    const res = await db.query(
      `insert into products (id, merchant_id, sku, name, description, price_cents, currency, stock, active, created_at, updated_at)
       select gen_random_uuid(), $1, s.sku, s.name, s.description, round(s.price::numeric * 100)::int, 'EUR', s.stock::int, true, now(), now()
       from (select distinct on (lower(sku)) * from raw_stage
             where row_no >= $2 and row_no < $3 and name <> '' and price ~ '^[0-9]+(\\.[0-9]{1,2})?$' and stock ~ '^[0-9]+$'
             order by lower(sku), row_no desc) s
       on conflict (merchant_id, lower(sku)) do update set sku = excluded.sku, name = excluded.name, description = excluded.description,
         price_cents = excluded.price_cents, stock = excluded.stock, updated_at = now()
       where (products.sku, products.name, products.description, products.price_cents, products.stock)
         is distinct from (excluded.sku, excluded.name, excluded.description, excluded.price_cents, excluded.stock)`,
      [merchantId, from, from + batchRows],
    );
    written += res.rowCount ?? 0;
  }
  await db.query('drop table raw_stage');
  return { copyMs, upsertMs: Date.now() - started - copyMs, totalMs: Date.now() - started, rows: written };
}

/** Peak resident set size of a process (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}
