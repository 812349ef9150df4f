import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../shared/app-error.js';
import { copyText, copyTextArray } from '../../shared/pg-copy.js';
import type { ProductImportRow } from '../catalog.schemas.js';
import { NUTRIENTS } from '../product.entity.js';
import { ingredientFlags } from '../verdict/ingredient-matcher.js';
import { changesSql, FIELD_SPECS, specsOf, type ImportField } from './import-fields.js';

/** A row refused while staging or writing, by its spreadsheet row number (the header is row 1). */
export interface BulkRejection {
  row: number;
  sku: string | null;
  reason: string;
}

/** What preparing a staged file found: rows superseded by a later row with the same SKU, barcode clashes inside the file. */
export interface PreparedStage {
  duplicates: number;
  /** Rows that would change nothing (taken out: the batches never see them). */
  unchanged: number;
  rejections: BulkRejection[];
  /** Rows left to write, and the last row number among them (0 when none). */
  staged: number;
  lastRow: number;
}

const STAGE_ID = /^[0-9a-f]{32}$/;
const COLUMNS = ['row_no', ...FIELD_SPECS.map((f) => f.column), 'ingredient_flags'];

/** The staging table of one import (unlogged scratch: it lives while the import runs). */
export function stageTable(stageId: string): string {
  if (!STAGE_ID.test(stageId)) throw new AppError('INTERNAL', 'Invalid staging table id');
  return `import_stage_${stageId}`;
}

/** Creates (or recreates, empty) the staging table. */
export async function createStage(em: EntityManager, table: string): Promise<void> {
  const columns = FIELD_SPECS.map((f) => `${f.column} ${f.sqlType}`).join(', ');
  await em.execute(`drop table if exists ${table}`, [], 'run');
  await em.execute(
    `create unlogged table ${table} (row_no integer not null, ${columns}, ingredient_flags text[], key text generated always as (lower(sku)) stored)`,
    [],
    'run',
  );
}

export async function dropStage(em: EntityManager, table: string): Promise<void> {
  await em.execute(`drop table if exists ${table}`, [], 'run');
}

/** The COPY statement the staged lines are streamed into. */
export function copyStageSql(table: string): string {
  return `copy ${table} (${COLUMNS.join(', ')}) from stdin`;
}

const num = (n: number | undefined | null) => (n === undefined || n === null ? '\\N' : String(n));
const unique = (values: readonly string[] | undefined) => (values ? [...new Set(values)] : undefined);

/** One validated row as a COPY text line; fields the file does not give are null. */
export function stageLine(rowNo: number, row: ProductImportRow): string {
  const labels = unique(row.labels);
  const flags = row.ingredients !== undefined || labels !== undefined ? ingredientFlags(row.ingredients ?? '', labels ?? []) : undefined;
  // In COLUMNS order: row_no, the FIELD_SPECS columns, ingredient_flags.
  const cells = [
    String(rowNo),
    copyText(row.sku),
    copyText(row.name),
    copyText(row.description),
    num(row.priceCents),
    copyText(row.currency),
    num(row.stock),
    copyText(row.barcode),
    copyText(row.category),
    copyText(row.kind),
    row.active === undefined ? '\\N' : row.active ? 't' : 'f',
    copyText(row.ingredients),
    copyTextArray(labels),
    copyTextArray(unique(row.allergens)),
    ...NUTRIENTS.map((n) => num(row.nutrition?.[n])),
    copyTextArray(flags),
  ];
  return `${cells.join('\t')}\n`;
}

/**
 * Readies a fully staged file for writing: the last row of each SKU (case-insensitive) wins, the
 * rows it supersedes are dropped and counted; a barcode given to two SKUs stays with the first row
 * and the later rows are rejected; rows that would change nothing are dropped and counted (see
 * takeUnchanged). Indexes the row numbers the batches are cut by.
 */
export async function prepareStage(em: EntityManager, table: string, merchantId: string, fields: readonly ImportField[]): Promise<PreparedStage> {
  const superseded = await em.execute(
    `delete from ${table} where row_no in (
       select row_no from (select row_no, row_number() over (partition by key order by row_no desc) as n from ${table}) r where n > 1)`,
    [],
    'run',
  );
  const clashes = await em.execute<Array<{ row_no: number; sku: string; barcode: string; first_row: number }>>(
    `delete from ${table} s
     using (select row_no, min(row_no) over (partition by lpad(barcode, 14, '0')) as first_row from ${table} where barcode is not null) d
     where s.row_no = d.row_no and d.row_no > d.first_row
     returning s.row_no, s.sku, s.barcode, d.first_row`,
  );
  const unchanged = await takeUnchanged(em, table, merchantId, fields);
  await em.execute(`create index on ${table} (row_no)`, [], 'run');
  await em.execute(`analyze ${table}`, [], 'run');
  const [counts] = await em.execute<Array<{ staged: string; last_row: number | null }>>(`select count(*) as staged, max(row_no) as last_row from ${table}`);
  return {
    duplicates: (superseded as unknown as { affectedRows: number }).affectedRows,
    unchanged,
    rejections: clashes.map((c) => ({ row: c.row_no, sku: c.sku, reason: `barcode ${c.barcode} is also given on row ${c.first_row}` })),
    staged: Number(counts.staged),
    lastRow: counts.last_row ?? 0,
  };
}

/**
 * Drops the staged rows whose product already has every value they give (the batches' own change
 * predicate), in one set-based pass over the file: the planner joins the whole stage to the merchant's
 * catalog at once, where the batches probe it row by row, so re-importing an unchanged file costs a
 * scan instead of a batch of statements per 5,000 rows. A product edited between this pass and its
 * batch keeps the edit (the file had nothing new for it).
 */
async function takeUnchanged(em: EntityManager, table: string, merchantId: string, fields: readonly ImportField[]): Promise<number> {
  const taken = await em.execute(
    `delete from ${table} s using products t where t.merchant_id = ? and lower(t.sku) = s.key and not (${changesSql(specsOf(fields))})`,
    [merchantId],
    'run',
  );
  return (taken as unknown as { affectedRows: number }).affectedRows;
}
