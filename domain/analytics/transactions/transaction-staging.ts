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
 * and counted; the cheap count first, since files rarely repeat a line), then the row numbers the
 * batches are cut by are indexed.
 */
export async function prepareStage(em: EntityManager, table: string): Promise<{ duplicates: number; lastRow: number }> {
  const [{ repeated }] = await em.execute<Array<{ repeated: number }>>(`select (count(*) - count(distinct source_line_id))::int as repeated from ${table}`);
  if (repeated > 0) {
    await em.execute(
      `delete from ${table} where row_no in (
         select row_no from (select row_no, row_number() over (partition by source_line_id order by row_no desc) as n from ${table}) r where n > 1)`,
      [],
      'run',
    );
  }
  await em.execute(`create index on ${table} (row_no)`, [], 'run');
  await em.execute(`analyze ${table}`, [], 'run');
  const [{ last_row }] = await em.execute<Array<{ last_row: number | null }>>(`select max(row_no) as last_row from ${table}`);
  return { duplicates: repeated, lastRow: last_row ?? 0 };
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
