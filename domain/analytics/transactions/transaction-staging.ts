import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../shared/app-error.js';
import { copyText } from '../../shared/pg-copy.js';
import { raw, sql, type Sql } from '../../shared/sql.js';
import type { ImportedLine } from './transaction-rows.js';

const STAGE_ID = /^[0-9a-f]{32}$/;

/** The staging table of one CSV import (unlogged scratch: it lives while the import runs). */
export function stageTable(stageId: string): string {
  if (!STAGE_ID.test(stageId)) throw new AppError('INTERNAL', 'Invalid staging table id');
  return `analytics_tx_import_${stageId}`;
}

export async function createStage(em: EntityManager, table: string): Promise<void> {
  await em.execute(`drop table if exists ${table}`, [], 'run');
  await em.execute(
    `create unlogged table ${table} (
       row_no int not null, source_line_id text not null, order_id text not null, closed_at timestamptz, closed_local timestamp,
       item text, item_code text, category text, quantity double precision not null, unit_price_cents int, unit_cost_cents int)`,
    [],
    'run',
  );
}

export const copyStageSql = (table: string) =>
  `copy ${table} (row_no, source_line_id, order_id, closed_at, closed_local, item, item_code, category, quantity, unit_price_cents, unit_cost_cents) from stdin`;

const num = (n: number | null) => (n === null ? '\\N' : String(n));

/** One staged line as a COPY text line, in copyStageSql's column order. */
export function stageLine(rowNo: number, l: ImportedLine): string {
  return `${rowNo}\t${copyText(l.sourceLineId)}\t${copyText(l.orderId)}\t${copyText(l.closedAt)}\t${copyText(l.closedLocal)}\t${copyText(l.item)}\t${copyText(
    l.itemCode,
  )}\t${copyText(l.category)}\t${l.quantity}\t${num(l.unitPriceCents)}\t${num(l.unitCostCents)}\n`;
}

/**
 * Readies a fully staged file: the last row of each line id wins (the rows it supersedes are dropped
 * and counted; the cheap count first, since files rarely repeat a line), the rows that would change
 * nothing are dropped and counted (see takeUnchanged), then the row numbers the batches are cut by
 * are indexed.
 */
export async function prepareStage(em: EntityManager, table: string, merchantId: string): Promise<{ duplicates: number; unchanged: number; lastRow: number }> {
  const [{ repeated }] = await em.execute<Array<{ repeated: number }>>(`select (count(*) - count(distinct source_line_id))::int as repeated from ${table}`);
  if (repeated > 0) {
    await em.execute(
      `delete from ${table} where row_no in (
         select row_no from (select row_no, row_number() over (partition by source_line_id order by row_no desc) as n from ${table}) r where n > 1)`,
      [],
      'run',
    );
  }
  const unchanged = await takeUnchanged(em, table, merchantId);
  await em.execute(`create index on ${table} (row_no)`, [], 'run');
  await em.execute(`analyze ${table}`, [], 'run');
  const [{ last_row }] = await em.execute<Array<{ last_row: number | null }>>(`select max(row_no) as last_row from ${table}`);
  return { duplicates: repeated, unchanged, lastRow: last_row ?? 0 };
}

/**
 * Drops the staged rows whose stored line already holds every value the batch would write (the
 * upsert's own change predicate, with the item resolved as resolvedLines does and wall-clock times
 * in the merchant's zone), in one set-based pass: the planner joins the whole file to the merchant's
 * lines at once, where the batches probe them row by row, so re-importing an unchanged file costs a
 * scan instead of two statements per batch. A row whose category would fill its item's missing one
 * stays for its batch (FILL_CATEGORIES).
 */
async function takeUnchanged(em: EntityManager, table: string, merchantId: string): Promise<number> {
  const taken = await em.execute(
    `delete from ${table} s
     using analytics_transactions t, analytics_items i,
           (select coalesce((select time_zone from analytics_settings where merchant_id = ?), 'UTC') as name) zone
     where t.merchant_id = ? and t.source = 'csv' and t.source_line_id = s.source_line_id and i.id = t.item_id
       and (case when s.item is null then i.code = s.item_code else i.name = s.item end)
       and (s.category is null or i.category is not null)
       and t.closed_at = coalesce(s.closed_at, s.closed_local at time zone zone.name)
       and t.quantity = s.quantity and t.order_id = s.order_id and t.modifiers is null
       and t.unit_price_cents = coalesce(s.unit_price_cents, case when s.item is null then i.price_cents end)
       and t.unit_cost_cents is not distinct from s.unit_cost_cents`,
    [merchantId, merchantId],
    'run',
  );
  return (taken as unknown as { affectedRows: number }).affectedRows;
}

type RowRange = { fromRow: number; toRow: number };

/** The condition on staged rows `s`: `fromRow` ≤ row < `toRow`, or every row. */
const inRange = (range?: RowRange): Sql => (range ? sql`s.row_no >= ${range.fromRow} and s.row_no < ${range.toRow}` : raw('true'));

/** Lines naming their item by a code the merchant has no priced item for, with why. */
export async function unresolvedCodes(
  em: EntityManager,
  table: string,
  merchantId: string,
  range?: RowRange,
): Promise<Array<{ row: number; sku: string; reason: string }>> {
  const query = sql`
    select s.row_no as row, s.source_line_id as key, s.item_code as code, i.name
    from ${raw(table)} s left join analytics_items i on i.merchant_id = ${merchantId} and i.code = s.item_code
    where ${inRange(range)} and s.item is null and i.price_cents is null
    order by s.row_no`;
  const rows = await em.execute<Array<{ row: number; key: string; code: string; name: string | null }>>(query.text, [...query.params]);
  return rows.map((r) => ({
    row: r.row,
    sku: r.key,
    reason: r.name === null ? `item_id: no item has code ${r.code} (load the menu items first)` : `item_id: item "${r.name}" (code ${r.code}) has no price`,
  }));
}

/** The staged lines with their item resolved (by name, or by code at the item's list price); unresolvable ones left out. */
export function resolvedLines(table: string, merchantId: string, range?: RowRange): Sql {
  return sql`
    select s.row_no, s.source_line_id, s.order_id, s.closed_at, s.closed_local, coalesce(s.item, i.name) as item, s.category, s.quantity,
           coalesce(s.unit_price_cents, i.price_cents) as unit_price_cents, s.unit_cost_cents
    from ${raw(table)} s left join analytics_items i on s.item is null and i.merchant_id = ${merchantId} and i.code = s.item_code
    where ${inRange(range)} and coalesce(s.unit_price_cents, i.price_cents) is not null`;
}

export async function dropStage(em: EntityManager, table: string): Promise<void> {
  await em.execute(`drop table if exists ${table}`, [], 'run');
}
