/**
 * `npm run bench -- catalog [seconds]` on DATABASE_URL (default larder_bench; fill it first with
 * `DATABASE_URL=… npm run bench:data -- 1000000`). Measures through the HTTP API of a separate server
 * process at 8 concurrent clients, and runs the very same SQL through `pg` at 8 clients in the same
 * run as the raw baseline:
 *   search  p50/p95 (multi-word phrases, single words, typos, substrings, 2-letter prefixes), HTTP vs raw
 *           (expansion query + listing query, and the listing query alone, as a hot query costs the
 *           server), ratio, server CPU per request; one client's median for three common phrases;
 *   barcode p95 (Redis cache-aside warm after the first hit) vs the SQL look-up; list page p95 (first
 *   and next pages), HTTP vs the same listing SQL through `pg`.
 * The raw SQL runs as the server runs it (named prepared statements). Every phase also prints
 * PostgreSQL's CPU per request (the bench database's backends, from /proc): on a shared 2-core box
 * the load-independent measure of a query shape, where latencies swing with the neighbours' load.
 * Prints EXPLAIN (ANALYZE, BUFFERS) of a ranked search and a short-prefix search.
 */
import pg from 'pg';
import { expansionsSql, isRankedSearch, ListProductsQuery, listingSql, WORD_SHARES_SQL, type WordShare, wordShareOf } from '../../domain/catalog/index.js';
import { PRODUCT_COLUMNS } from '../../domain/catalog/product-row.js';
import { statementName, toPg } from '../../domain/shared/native-query.js';
import { deleteRedisKeys } from '../support/redis-cleanup.js';
import { benchEnv, cpuMeter, cpuTicks, loadAverage } from './bench-support.js';
import { startServerProcess } from './server-process.js';
import { closedLoop, fmt, summarize } from './stats.js';
import type { Sql } from '../../domain/shared/sql.js';

const CLIENTS = 8;

function misspell(word: string, rand: number): string {
  if (word.length < 5) return word;
  const at = 1 + (rand % (word.length - 3));
  return rand % 2 ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2) : word.slice(0, at) + word.slice(at + 1);
}

/** Multi-word queries shoppers type on a French/English/German catalog (each matches generated names). */
const PHRASES = [
  'pain de mie',
  'jus d orange',
  'coca cola',
  'chocolat noir',
  'peanut butter',
  'ice cream',
  'creme fraiche',
  'yaourt nature',
  'huile d olive',
  'dark chocolate',
  'pate a tartiner',
  'green tea',
];

/** The words of a name as a shopper would type them (lower case, no punctuation). */
const wordsOf = (name: string) =>
  name
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * Search terms as shoppers type them, from real names in the table: phrases of 2–3 consecutive
 * words, typos, substrings, 1–2 letter prefixes, single words and the common PHRASES above.
 */
async function searchTerms(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(`select name from products tablesample system (0.2) where active limit 400`);
  const terms: string[] = [];
  rows.forEach(({ name }, i) => {
    const all = wordsOf(name);
    const words = all.filter((w) => /^\p{L}{4,}$/u.test(w));
    if (!words.length) return;
    const w = words[i % words.length];
    const kind = i % 6;
    if (kind === 0 && all.length >= 2) {
      const at = i % Math.max(1, all.length - 1);
      terms.push(all.slice(at, at + 2 + (i % 2)).join(' ')); // "pain de mie", "brand food"
    } else if (kind === 1)
      terms.push(misspell(w, i)); // typo
    else if (kind === 2)
      terms.push(w.slice(1, Math.max(4, w.length - 1))); // substring
    else if (kind === 3)
      terms.push(w.slice(0, 2)); // 1–2 characters: prefix index
    else if (kind === 4) terms.push(PHRASES[i % PHRASES.length]);
    else terms.push(w); // one word
  });
  return terms;
}

/** As the server runs it: bound parameters, a named prepared statement per distinct text. */
function prepared(query: Sql): { name: string; text: string; values: unknown[] } {
  const { text, values } = toPg(query);
  return { name: statementName(text), text, values };
}

/** The listing's SQL for a search, with the word expansions fetched first exactly as the service does. */
async function searchSql(pool: pg.Pool, q: string): Promise<{ name: string; text: string; values: unknown[] }> {
  const query = ListProductsQuery.parse({ q });
  let expanded: string[][] = [];
  if (isRankedSearch(query)) {
    expanded = Object.values((await pool.query(prepared(expansionsSql(q)))).rows[0] ?? {});
  }
  return prepared(listingSql(query, undefined, null, expanded, shares));
}

/** The word statistics the server reads too (read once, as the server does every few minutes). */
let shares: WordShare;

/** The plan the server's prepared statement settles on: the generic one. */
async function explain(pool: pg.Pool, label: string, q: string): Promise<void> {
  const { text, values } = await searchSql(pool, q);
  const client = await pool.connect();
  let rows: Array<Record<string, string>>;
  try {
    await client.query('set plan_cache_mode = force_generic_plan');
    ({ rows } = await client.query(`explain (analyze, buffers, costs off) ${text}`, values));
  } finally {
    await client.query('reset plan_cache_mode');
    client.release();
  }
  console.log(`\n-- EXPLAIN ANALYZE: ${label} (q=${JSON.stringify(q)})\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
}

/** Runs task(0..count-1) once each, CLIENTS at a time. */
async function eachOnce(count: number, task: (i: number) => Promise<unknown>): Promise<void> {
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, w) => {
      for (let i = w; i < count; i += CLIENTS) await task(i);
    }),
  );
}

async function medianOf5(op: () => Promise<unknown>): Promise<number> {
  await op();
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    await op();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[2];
}

function report(label: string, r: { latencies: number[]; errors: number; elapsedMs: number }, cpuPercent?: number, note = '') {
  const s = summarize(r.latencies, r.elapsedMs);
  // Server CPU per request: the load-independent part of the HTTP overhead on a shared machine.
  const cpu = cpuPercent === undefined ? '' : ` server CPU ${fmt(((cpuPercent / 100) * r.elapsedMs) / Math.max(1, s.count), 2)} ms/req`;
  console.log(
    `${label.padEnd(22)} n=${s.count} ${fmt(s.perSecond, 0)}/s p50=${fmt(s.p50)}ms p95=${fmt(s.p95)}ms p99=${fmt(s.p99)}ms errors=${r.errors}${cpu}${note}`,
  );
  return s;
}

type PhaseResult = { latencies: number[]; errors: number; elapsedMs: number };

/**
 * PostgreSQL CPU per request over a phase: the CPU time of every backend connected to the bench's
 * database (the server's pool or the raw baseline's), from /proc, so only where PostgreSQL runs on
 * this machine. Load-independent, unlike latency on a shared 2-core box. NaN where unreadable.
 */
async function dbCpuPhase(pool: pg.Pool, run: () => Promise<PhaseResult>): Promise<{ r: PhaseResult; dbMs: number }> {
  const backends = async () =>
    (await pool.query<{ pid: number }>(`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`)).rows.map(
      (row) => row.pid,
    );
  const ticks = (pid: number) => {
    try {
      return cpuTicks(pid);
    } catch {
      return Number.NaN;
    }
  };
  const before = new Map((await backends()).map((pid) => [pid, ticks(pid)]));
  const r = await run();
  let total = 0;
  for (const pid of await backends()) total += ticks(pid) - (before.get(pid) ?? 0);
  return { r, dbMs: (total * 10) / Math.max(1, r.latencies.length) };
}

const dbNote = (dbMs: number) => (Number.isFinite(dbMs) ? `, PostgreSQL CPU ${fmt(dbMs, 2)} ms/req` : '');

/** An HTTP phase with the server process's and PostgreSQL's CPU measured over it. */
async function httpPhase(label: string, pid: number, pool: pg.Pool, run: () => Promise<PhaseResult>) {
  const cpu = cpuMeter(pid);
  const { r, dbMs } = await dbCpuPhase(pool, run);
  return report(label, r, cpu(), dbNote(dbMs));
}

/** A raw baseline phase with PostgreSQL's CPU measured over it. */
async function rawPhase(label: string, pool: pg.Pool, run: () => Promise<PhaseResult>) {
  const { r, dbMs } = await dbCpuPhase(pool, run);
  return report(label, r, undefined, dbNote(dbMs));
}

async function get(url: string): Promise<void> {
  const res = await fetch(url);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${res.status}`);
}

export async function run(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 15);
  const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/larder_bench';
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CLIENTS });
  const {
    rows: [{ n }],
  } = await pool.query<{ n: string }>('select count(*) as n from products');
  console.log(`products: ${n} in ${new URL(databaseUrl).pathname.slice(1)}; ${CLIENTS} clients, ${seconds} s per phase`);
  shares = wordShareOf((await pool.query(toPg(WORD_SHARES_SQL))).rows);
  const terms = await searchTerms(pool);
  const { rows: codes } = await pool.query<{ barcode: string }>(
    `select barcode from products tablesample system (0.2) where barcode is not null and active limit 1000`,
  );
  const { rows: cats } = await pool.query<{ category: string }>(`select distinct category from products limit 50`);
  // The products stay (they take minutes to generate); the server's database and Redis prefix are this bench's.
  const env = benchEnv('catalog', { DATABASE_URL: databaseUrl });
  console.log(`load average ${loadAverage()}`);
  const server = await startServerProcess(env.serverEnv);
  try {
    const api = `${server.url}/api/v1`;
    const searchUrl = (i: number) => `${api}/products?q=${encodeURIComponent(terms[i % terms.length])}`;
    // Warm-up: every term once (remembered word expansions, the stock mirror of the products found, as
    // in a running shop), then 2 s more (JIT, pools, buffers).
    await eachOnce(terms.length, (i) => get(`${api}/products?q=${encodeURIComponent(terms[i])}`));
    await closedLoop(CLIENTS, 2_000, (w, i) => get(searchUrl(w * 1000 + i)));

    console.log('\nsearch');
    const http = await httpPhase('  HTTP', server.pid, pool, () => closedLoop(CLIENTS, seconds * 1000, (w, i) => get(searchUrl(w * 7919 + i))));
    const raw = await rawPhase('  raw SQL (pg)', pool, () =>
      closedLoop(CLIENTS, seconds * 1000, async (w, i) => {
        return pool.query(await searchSql(pool, terms[(w * 7919 + i) % terms.length]));
      }),
    );
    // The server remembers word expansions (a hot query skips that round trip): its listing query alone.
    const known = await Promise.all(terms.map((t) => searchSql(pool, t)));
    const rawListing = await rawPhase('  raw, expansions known', pool, () =>
      closedLoop(CLIENTS, seconds * 1000, (w, i) => pool.query(known[(w * 7919 + i) % known.length])),
    );
    console.log(`  ratio HTTP/raw: p50 ${fmt(http.p50 / raw.p50, 2)}x, p95 ${fmt(http.p95 / raw.p95, 2)}x (targets: p95 ≤ 30 ms, ≤ 2x)`);
    console.log(`  ratio HTTP/raw with expansions known: p50 ${fmt(http.p50 / rawListing.p50, 2)}x, p95 ${fmt(http.p95 / rawListing.p95, 2)}x`);

    console.log('\n  one client, warm, median of 5 (HTTP / raw SQL):');
    for (const q of PHRASES.slice(0, 3)) {
      const h = await medianOf5(() => get(`${api}/products?q=${encodeURIComponent(q)}`));
      const r = await medianOf5(async () => pool.query(await searchSql(pool, q)));
      console.log(`    ${JSON.stringify(q).padEnd(16)} ${fmt(h)} ms / ${fmt(r)} ms`);
    }

    console.log('\nbarcode');
    const code = (w: number, i: number) => codes[(w * 131 + i) % codes.length].barcode;
    const barcodeSql = `select ${PRODUCT_COLUMNS.text} from products p where lpad(p.barcode, 14, '0') = lpad($1, 14, '0') order by p.active desc limit 1`;
    // Each code once first: the phase measures warm reads (cache-aside), as a running shop serves them.
    await eachOnce(codes.length, (i) => get(`${api}/products/barcode/${codes[i].barcode}`));
    const barcodeHttp = await httpPhase('  HTTP', server.pid, pool, () =>
      closedLoop(CLIENTS, seconds * 1000, (w, i) => get(`${api}/products/barcode/${code(w, i)}`)),
    );
    const barcodeRaw = await rawPhase('  raw SQL (pg)', pool, () => closedLoop(CLIENTS, seconds * 1000, (w, i) => pool.query(barcodeSql, [code(w, i)])));
    console.log(`  ratio HTTP/raw: p50 ${fmt(barcodeHttp.p50 / barcodeRaw.p50, 2)}x, p95 ${fmt(barcodeHttp.p95 / barcodeRaw.p95, 2)}x (target: p95 ≤ 5 ms)`);
    const oneCode = codes[0].barcode;
    console.log(
      `  one client, warm, median of 5: ${fmt(await medianOf5(() => get(`${api}/products/barcode/${oneCode}`)))} ms / ${fmt(await medianOf5(() => pool.query(barcodeSql, [oneCode])))} ms`,
    );

    console.log('\nlist page');
    const pages: string[] = [];
    for (const sort of ['newest', 'name', 'price', '-price']) {
      for (const filter of ['', ...cats.slice(0, 6).map((c) => `&category=${c.category}`)]) {
        const first = `${api}/products?limit=20&sort=${sort}${filter}`;
        const { nextCursor } = (await (await fetch(first)).json()) as { nextCursor: string | null };
        pages.push(first, ...(nextCursor ? [`${first}&cursor=${nextCursor}`] : []));
      }
    }
    await eachOnce(pages.length, (i) => get(pages[i]));
    const listHttp = await httpPhase('  HTTP', server.pid, pool, () => closedLoop(CLIENTS, seconds * 1000, (w, i) => get(pages[(w * 13 + i) % pages.length])));
    const pageSql = pages.map((url) => prepared(listingSql(ListProductsQuery.parse(Object.fromEntries(new URL(url).searchParams)), undefined, null)));
    const listRaw = await rawPhase('  raw SQL (pg)', pool, () =>
      closedLoop(CLIENTS, seconds * 1000, (w, i) => pool.query(pageSql[(w * 13 + i) % pageSql.length])),
    );
    console.log(`  (${pages.length} pages: first and second pages of 4 sorts, unfiltered and by category)`);
    console.log(`  ratio HTTP/raw: p50 ${fmt(listHttp.p50 / listRaw.p50, 2)}x, p95 ${fmt(listHttp.p95 / listRaw.p95, 2)}x (target: p95 ≤ 15 ms)`);
    console.log(
      `  one client, warm, median of 5 (${pages[2].slice(api.length)}): ${fmt(await medianOf5(() => get(pages[2])))} ms / ${fmt(await medianOf5(() => pool.query(pageSql[2])))} ms`,
    );

    await explain(pool, 'ranked trigram search', terms.find((t) => t.length >= 5 && !t.includes(' ')) ?? 'chocolate');
    await explain(pool, 'multi-word search, common word filtered', PHRASES[0]);
    await explain(pool, 'short query, prefix index', 'ch');
  } finally {
    await server.stop();
    await pool.end();
    await deleteRedisKeys(env.redisUrl, env.redisPrefix);
  }
}
