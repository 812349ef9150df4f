import type { EntityManager } from '@mikro-orm/postgresql';
import { columnPositions, type ColumnPlan, type ImportType, type RowResult } from '../../imports/index.js';
import { openCopy } from '../../shared/pg-copy.js';
import { TRANSACTION_COLUMNS, shapeOf } from './transaction-columns.js';
import { rowValidator, type ImportedLine, type TransactionRowValidator } from './transaction-rows.js';
import { copyStageSql, createStage, dropStage, prepareStage, resolvedLines, stageLine, stageTable, unresolvedCodes } from './transaction-staging.js';
import type { TransactionStore } from './transaction-store.js';

/** A file's plan read once: its columns by position and the validator of its rows (in file order). */
interface ReadPlan {
  columns: Array<[string, number]>;
  validator: TransactionRowValidator;
}
const readPlans = new WeakMap<ColumnPlan, ReadPlan>();

/**
 * The validator of the file `plan` belongs to. A pipeline run reads its file once, in order, with one
 * plan object, so the per-order line counter (`<order_id>#<n>`) follows the file; a resumed run reads
 * the file again from its start with a fresh plan, and so names its lines the same way.
 */
function readPlanOf(plan: ColumnPlan): ReadPlan {
  let read = readPlans.get(plan);
  if (!read) {
    const columns = [...columnPositions(plan)];
    read = { columns, validator: rowValidator(shapeOf(new Set(columns.map(([c]) => c)))) };
    readPlans.set(plan, read);
  }
  return read;
}

/**
 * The `transactions` type of the generic CSV import pipeline (POST /imports?type=transactions): rows
 * validated here (see transaction-columns.ts for the shapes), COPYed into a staging table of the import,
 * the last row of a line id winning; each batch resolves item codes against the merchant's items (a
 * code without a priced item is rejected with the reason) and goes through the store's set-based upsert.
 * Lines already stored as the file has them are taken out before the batches, so a re-import writes
 * nothing and counts every line as unchanged.
 */
export function transactionImportType(em: EntityManager, store: TransactionStore): ImportType<ImportedLine> {
  return {
    name: 'transactions',
    columns: TRANSACTION_COLUMNS,
    parseRow(cells, plan): RowResult<ImportedLine> {
      const { columns, validator } = readPlanOf(plan);
      const row: Record<string, string> = {};
      for (const [column, at] of columns) row[column] = cells[at] ?? '';
      const outcome = validator.validate(row);
      return outcome.ok ? { ok: true, row: outcome.record } : { ok: false, reason: outcome.reason, key: validator.keyOf(row) || null };
    },
    async openStage(stageId) {
      const table = stageTable(stageId);
      await createStage(em, table);
      const copy = await openCopy(em, copyStageSql(table));
      return { write: (rowNo, line) => copy.write(stageLine(rowNo, line)), finish: () => copy.finish(), abort: (reason) => copy.abort(reason) };
    },
    async prepare(stageId, merchantId) {
      const { duplicates, unchanged, lastRow } = await prepareStage(em, stageTable(stageId), merchantId);
      return { duplicates, unchanged, rejections: [], lastRow };
    },
    async writeBatch(tx, emit, { stageId, merchantId, plan, fromRow, toRow }) {
      const table = stageTable(stageId);
      const range = { fromRow, toRow };
      // Only a Maven file without item names names items by code.
      const byCode = plan.columns.includes('item_id') && !plan.columns.includes('item_name');
      const rejections = byCode ? await unresolvedCodes(tx, table, merchantId, range) : [];
      await store.stageFrom(tx, resolvedLines(table, merchantId, range));
      const counts = await store.upsert(tx, emit, merchantId, 'csv');
      return { upserted: counts.inserted + counts.updated, unchanged: counts.unchanged, rejections };
    },
    async diff(stageId, merchantId) {
      const table = stageTable(stageId);
      const rejections = await unresolvedCodes(em, table, merchantId);
      const { inserts, updates, unchanged } = await store.diff(em, merchantId, 'csv', resolvedLines(table, merchantId));
      return { wouldInsert: inserts, wouldUpdate: updates, unchanged, rejections };
    },
    dropStage: (stageId) => dropStage(em, stageTable(stageId)),
    announce: (emit, summary) => emit('transactions.imported', summary),
  };
}
