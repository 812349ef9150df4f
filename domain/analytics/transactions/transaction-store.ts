import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Emit } from '../../shared/domain-events.js';
import { sql, type Sql } from '../../shared/sql.js';
import type { TransactionRecord } from './transaction-rows.js';

export type TransactionSource = 'csv' | 'square';

/** What one upsert did with the staged lines. */
export interface UpsertCounts {
  /** Lines staged, duplicates included. */
  staged: number;
  inserted: number;
  updated: number;
  /** Already stored exactly so (a re-import): nothing written. */
  unchanged: number;
  /** Staged twice in the batch under one line id: the later one won. */
  duplicate: number;
}

/**
 * The session's staging table: created once per connection, emptied at every commit (and by upsert),
 * so batches of one transaction never see another's rows.
 */
const CREATE_STAGE = `
  create temp table if not exists analytics_tx_stage (
    seq int not null,
    source_line_id text not null,
    order_id text not null,
    closed_at timestamptz,
    closed_local timestamp,
    item text not null,
    category text,
    quantity double precision not null,
    unit_price_cents int not null,
    unit_cost_cents int,
    modifiers jsonb
  ) on commit delete rows`;

/** Names staged for the first time join the merchant's items (only missing ones: no identity values burnt). */
const INSERT_ITEMS = `
  insert into analytics_items (merchant_id, name, category)
  select distinct on (s.item) ?::uuid, s.item, s.category
  from analytics_tx_stage s
  where not exists (select 1 from analytics_items i where i.merchant_id = ? and i.name = s.item)
  order by s.item, s.category nulls last
  on conflict (merchant_id, name) do nothing`;

/** A category given by a line fills an item that has none (it never overrides one set on purpose). */
const FILL_CATEGORIES = `
  update analytics_items i set category = s.category, updated_at = now()
  from (select distinct on (item) item, category from analytics_tx_stage where category is not null order by item, seq desc) s
  where i.merchant_id = ? and i.name = s.item and i.category is null`;

/**
 * Last staged wins per line id; wall-clock times are placed in the merchant's time zone; a stored line
 * is rewritten only when something differs, so a re-import writes nothing and counts as unchanged.
 * Inserted and updated are told apart by the lines that existed in the statement's snapshot (a
 * partitioned table has no xmax to return). The days a written line was and is on are marked dirty
 * for the daily rollup (see day-rollup.ts).
 */
const UPSERT_LINES = `
  with batch as (
    select distinct on (s.source_line_id) s.* from analytics_tx_stage s order by s.source_line_id, s.seq desc
  ), zone as (
    select coalesce((select time_zone from analytics_settings where merchant_id = ?), 'UTC') as name
  ), existing as (
    select t.source_line_id, t.closed_at as old_closed_at from analytics_transactions t join batch b on b.source_line_id = t.source_line_id
    where t.merchant_id = ? and t.source = ?
  ), written as (
    insert into analytics_transactions as t
      (merchant_id, closed_at, quantity, item_id, unit_price_cents, unit_cost_cents, source, source_line_id, order_id, modifiers)
    select ?::uuid, coalesce(b.closed_at, b.closed_local at time zone zone.name), b.quantity, i.id, b.unit_price_cents, b.unit_cost_cents,
           ?, b.source_line_id, b.order_id, b.modifiers
    from batch b cross join zone join analytics_items i on i.merchant_id = ? and i.name = b.item
    on conflict (merchant_id, source, source_line_id) do update set
      closed_at = excluded.closed_at, quantity = excluded.quantity, item_id = excluded.item_id, unit_price_cents = excluded.unit_price_cents,
      unit_cost_cents = excluded.unit_cost_cents, order_id = excluded.order_id, modifiers = excluded.modifiers
    where (t.closed_at, t.quantity, t.item_id, t.unit_price_cents, t.unit_cost_cents, t.order_id, t.modifiers)
      is distinct from (excluded.closed_at, excluded.quantity, excluded.item_id, excluded.unit_price_cents, excluded.unit_cost_cents, excluded.order_id, excluded.modifiers)
    returning t.source_line_id, t.closed_at
  ), dirty as (
    insert into analytics_dirty_days (merchant_id, day, marked_at)
    select distinct ?::uuid, (x.at at time zone zone.name)::date, now()
    from (select w.closed_at as at from written w union all select e.old_closed_at from written w join existing e using (source_line_id)) x cross join zone
    on conflict (merchant_id, day) do update set marked_at = excluded.marked_at
  )
  select (select count(*) from analytics_tx_stage)::int as staged, (select count(*) from batch)::int as distinct_lines,
         (count(*) filter (where e.source_line_id is null))::int as inserted, (count(*) filter (where e.source_line_id is not null))::int as updated
  from written w left join existing e using (source_line_id)`;

/**
 * Staging and the set-based upsert of transaction lines, shared by the CSV import type and the POS
 * sync. Both run inside the caller's transaction (the staging table empties at commit).
 */
export class TransactionStore {
  /** Adds records to the transaction's staging table (one statement per call, JSON-encoded). */
  async stage(tx: EntityManager, records: readonly TransactionRecord[], firstSeq = 0): Promise<void> {
    await tx.execute(CREATE_STAGE, [], 'run');
    if (records.length === 0) return;
    const rows = records.map((r, i) => ({
      seq: firstSeq + i,
      source_line_id: r.sourceLineId,
      order_id: r.orderId,
      closed_at: r.closedAt,
      closed_local: r.closedLocal,
      item: r.item,
      category: r.category,
      quantity: r.quantity,
      unit_price_cents: r.unitPriceCents,
      unit_cost_cents: r.unitCostCents,
      modifiers: r.modifiers,
    }));
    const json = dollarQuoted(JSON.stringify(rows));
    await tx.execute(`insert into analytics_tx_stage select * from json_populate_recordset(null::analytics_tx_stage, ${json}::json)`, [], 'run');
  }

  /** Adds the lines `select` answers (columns as resolvedLines gives them, the row number as seq) to the transaction's staging table. */
  async stageFrom(tx: EntityManager, select: Sql): Promise<void> {
    await tx.execute(CREATE_STAGE, [], 'run');
    await tx.execute(
      `insert into analytics_tx_stage (seq, source_line_id, order_id, closed_at, closed_local, item, category, quantity, unit_price_cents, unit_cost_cents)
       ${select.text}`,
      [...select.params],
      'run',
    );
  }

  /** What upserting `lines` (as resolvedLines gives them) as the merchant's `source` lines would do, without writing. */
  async diff(em: EntityManager, merchantId: string, source: TransactionSource, lines: Sql): Promise<{ inserts: number; updates: number; unchanged: number }> {
    const query = sql`
      with zone as (
        select coalesce((select time_zone from analytics_settings where merchant_id = ${merchantId}), 'UTC') as name
      ), b as (
        select l.*, coalesce(l.closed_at, l.closed_local at time zone zone.name) as at from (${lines}) l cross join zone
      )
      select (count(*) filter (where t.source_line_id is null))::int as inserts,
             (count(*) filter (where t.source_line_id is not null and (t.closed_at, t.quantity, i.name, t.unit_price_cents, t.unit_cost_cents, t.order_id)
               is distinct from (b.at, b.quantity, b.item, b.unit_price_cents, b.unit_cost_cents, b.order_id)))::int as updates,
             count(t.source_line_id)::int as existing
      from b left join analytics_transactions t on t.merchant_id = ${merchantId} and t.source = ${source} and t.source_line_id = b.source_line_id
      left join analytics_items i on i.id = t.item_id`;
    const [row] = await em.execute<Array<{ inserts: number; updates: number; existing: number }>>(query.text, [...query.params]);
    return { inserts: row.inserts, updates: row.updates, unchanged: row.existing - row.updates };
  }

  /**
   * Moves the staged lines into the merchant's transactions (items first), empties the staging table
   * and, when anything was written, emits `analytics.transactions_changed` (cached analyses drop it).
   */
  async upsert(tx: EntityManager, emit: Emit, merchantId: string, source: TransactionSource): Promise<UpsertCounts> {
    await tx.execute(CREATE_STAGE, [], 'run');
    await tx.execute(INSERT_ITEMS, [merchantId, merchantId], 'run');
    await tx.execute(FILL_CATEGORIES, [merchantId], 'run');
    const [row] = await tx.execute<Array<{ staged: number; distinct_lines: number; inserted: number; updated: number }>>(UPSERT_LINES, [
      merchantId,
      merchantId,
      source,
      merchantId,
      source,
      merchantId,
      merchantId,
    ]);
    // A delete, not a truncate: no new relation file and catalog update per batch.
    await tx.execute(`delete from analytics_tx_stage`, [], 'run');
    const counts: UpsertCounts = {
      staged: row.staged,
      inserted: row.inserted,
      updated: row.updated,
      unchanged: row.distinct_lines - row.inserted - row.updated,
      duplicate: row.staged - row.distinct_lines,
    };
    if (counts.inserted + counts.updated > 0)
      emit('analytics.transactions_changed', { merchantId, source, inserted: counts.inserted, updated: counts.updated });
    return counts;
  }
}

/**
 * A PostgreSQL dollar-quoted literal of `text`, with a random tag the text does not contain: nothing in
 * the text can end it, so no escaping is needed. (MikroORM binds `?` parameters by escaping them
 * character by character in JavaScript, which costs hundreds of milliseconds for a batch's megabyte.)
 */
function dollarQuoted(text: string): string {
  let tag: string;
  do tag = `$s${randomBytes(6).toString('hex')}$`;
  while (text.includes(tag));
  return `${tag}${text}${tag}`;
}
