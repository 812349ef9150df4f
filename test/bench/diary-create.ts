import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { BUMP_HEAD } from '../../domain/diary/entry-row.js';
import { productIdsOf, resolveItems, sumNutrition } from '../../domain/diary/nutrition.js';
import type { DiaryItemInput } from '../../domain/diary/index.js';
import { NUTRIENTS, type ProductNutritionFacts } from '../../domain/catalog/index.js';
import { cpuMeters, pause, signTokens, type BenchUser } from './bench-support.js';
import { closedLoop, fmt, summarize } from './stats.js';
import type { ServerProcess } from './server-process.js';

export interface CreateConfig {
  clients: number;
  seconds: number;
  warmupSeconds: number;
  poolMax: number;
}

const COLUMNS: Record<string, string> = { energyKcal: 'energy_kcal', saturatedFat: 'saturated_fat', iodineUg: 'iodine_ug' };
const NUTRITION_SQL = `select id, name, ${NUTRIENTS.map((n) => `${COLUMNS[n] ?? n} as "${n}"`).join(', ')} from products where id = any($1::uuid[])`;
// What EntryWriter sends, with `$n` placeholders: the head bump and the insert as one statement.
const INSERT_SQL = `with head as (${BUMP_HEAD.replace('?', '$1')})
  insert into diary_entries (id, user_id, client_id, date, meal, items, totals, note, version, change_seq, created_at, updated_at)
  select $2, $1, $3, $4, 'lunch', $5, $6, '', 1, head.seq, $7, $7 from head
  on conflict (user_id, client_id) do nothing returning id, user_id, client_id, to_char(date, 'YYYY-MM-DD') as date, meal, items, totals, note,
  photo_key, photo_type, thumbnail_key, version, change_seq, deleted_at, created_at, updated_at`;

/** Five random products, 30–250 g each. */
function fiveItems(products: string[]): DiaryItemInput[] {
  return Array.from({ length: 5 }, (_, i) => ({ productId: products[Math.floor(Math.random() * products.length)], grams: 30 + i * 50 }));
}

/**
 * The same work as POST /diary with 5 product items, by hand through `pg`: read the products'
 * nutrition, then bump the user's head and insert the entry in one statement (autocommit, as the
 * server sends it: a single statement needs no BEGIN/COMMIT).
 */
async function rawCreate(pool: pg.Pool, userId: string, items: DiaryItemInput[]): Promise<void> {
  const { rows } = await pool.query<{ id: string; name: string } & Record<string, number | null>>(NUTRITION_SQL, [productIdsOf(items)]);
  const facts = new Map<string, ProductNutritionFacts>(
    rows.map((r) => [r.id, { id: r.id, name: r.name, per100g: Object.fromEntries(NUTRIENTS.map((n) => [n, r[n]])) as ProductNutritionFacts['per100g'] }]),
  );
  const resolved = resolveItems(items, facts);
  const inserted = await pool.query(INSERT_SQL, [
    userId,
    randomUUID(),
    randomUUID(),
    '2026-12-03',
    JSON.stringify(resolved),
    JSON.stringify(sumNutrition(resolved.map((r) => r.nutrition))),
    new Date(),
  ]);
  if (inserted.rowCount !== 1) throw new Error('not inserted');
}

/** Diary creates with 5 product items at `clients` concurrent clients (one user each): HTTP vs the same statements through `pg`. */
export async function measureCreates(server: ServerProcess, databaseUrl: string, jwtSecret: string, users: BenchUser[], products: string[], cfg: CreateConfig) {
  const raw = new pg.Pool({ connectionString: databaseUrl, max: cfg.poolMax });
  const errors = new Map<string, number>();
  const count = (code: string) => errors.set(code, (errors.get(code) ?? 0) + 1);
  try {
    const tokens = await signTokens(jwtSecret, users);
    const http = async (worker: number) => {
      const res = await fetch(`${server.url}/api/v1/diary`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[worker]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: randomUUID(), date: '2026-12-03', meal: 'lunch', items: fiveItems(products) }),
      });
      await res.arrayBuffer();
      if (res.status !== 201) {
        count(`HTTP ${res.status}`);
        throw new Error(String(res.status));
      }
    };
    const rawTask = async (worker: number) => {
      try {
        await rawCreate(raw, users[worker].id, fiveItems(products));
      } catch (err) {
        count(`raw ${(err as Error).message}`);
        throw err;
      }
    };
    await closedLoop(cfg.clients, cfg.warmupSeconds * 1000, (w) => rawTask(w));
    await closedLoop(cfg.clients, cfg.warmupSeconds * 1000, (w) => http(w));
    errors.clear();

    const rawRun = await closedLoop(cfg.clients, cfg.seconds * 1000, (w) => rawTask(w));
    const rawStats = summarize(rawRun.latencies, rawRun.elapsedMs);
    await pause(1_000);
    const cpu = cpuMeters({ server: server.pid });
    const httpRun = await closedLoop(cfg.clients, cfg.seconds * 1000, (w) => http(w));
    const used = cpu();
    const httpStats = summarize(httpRun.latencies, httpRun.elapsedMs);
    const ratio = httpStats.perSecond / rawStats.perSecond;

    console.log(`\n[diary create, 5 product items, ${cfg.clients} clients]`);
    console.log(
      `raw pg (pool ${cfg.poolMax}): ${fmt(rawStats.perSecond)}/s, p50 ${fmt(rawStats.p50)} ms, p95 ${fmt(rawStats.p95)} ms, p99 ${fmt(rawStats.p99)} ms`,
    );
    console.log(
      `HTTP POST /diary: ${fmt(httpStats.perSecond)}/s, p50 ${fmt(httpStats.p50)} ms, p95 ${fmt(httpStats.p95)} ms, p99 ${fmt(httpStats.p99)} ms; ` +
        `server CPU ${fmt(used.server)}% of a core (${fmt((used.server / 100 / httpStats.perSecond) * 1e6, 0)} µs per create), load generator ${fmt(used.generator)}%`,
    );
    console.log(`errors: ${errors.size ? [...errors].map(([c, n]) => `${c} ${n}`).join(', ') : 'none'}`);
    const met = httpStats.perSecond >= 1000 && httpStats.p95 <= 20;
    console.log(`target ≥ 1,000/s with p95 ≤ 20 ms: ${met ? 'MET' : 'MISSED'}; ratio HTTP ÷ raw ≥ 0.4: ${fmt(ratio, 3)} ${ratio >= 0.4 ? 'MET' : 'MISSED'}`);
  } finally {
    await raw.end();
  }
}
