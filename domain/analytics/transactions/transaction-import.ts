import type { EntityManager } from '@mikro-orm/postgresql';
import type { Emit } from '../../shared/domain-events.js';
import type { MenuItems } from '../menu-items.js';
import { TRANSACTION_SHAPES, readHeader, type HeaderCheck, type TransactionShape } from './transaction-columns.js';
import { rowValidator, type TransactionRecord, type TransactionRowValidator } from './transaction-rows.js';
import type { TransactionStore, UpsertCounts } from './transaction-store.js';

/**
 * The `transactions` import type, for the generic streamed CSV pipeline (POST /imports?type=transactions):
 *
 *   const header = type.readHeader(firstRow)            // 422 with header.message when !ok
 *   const rows = await type.prepare(em, merchantId, header.shape)
 *   for each data row:  rows.validate(rowObject) → { ok, record } | { ok: false, reason }   (report key: rows.keyOf(row))
 *   per batch, in one uow.run((tx, emit) => …):  await type.stage(tx, records, firstSeq); counts = await type.upsert(tx, emit, merchantId)
 *
 * `rowObject` maps header.columns (normalized names) to the row's cells. `upsert` answers
 * {staged, inserted, updated, unchanged, duplicate}: rowsUpserted = inserted + updated, rowsDuplicate =
 * duplicate. A dry run is the same calls in a transaction that is rolled back.
 */
export interface TransactionImportType {
  readonly type: 'transactions';
  /** The accepted columns per shape (for errors and documentation). */
  readonly shapes: typeof TRANSACTION_SHAPES;
  readHeader(header: readonly string[]): HeaderCheck;
  /** Loads what validating this merchant's rows needs (the Maven shape: item codes) and returns the import's row validator. */
  prepare(em: EntityManager, merchantId: string, shape: TransactionShape): Promise<TransactionRowValidator>;
  /** Stages valid records in the transaction; `firstSeq` orders batches staged together (the later row wins). */
  stage(tx: EntityManager, records: readonly TransactionRecord[], firstSeq?: number): Promise<void>;
  /** Upserts what is staged as the merchant's CSV lines; emits `analytics.transactions_changed` when anything changed. */
  upsert(tx: EntityManager, emit: Emit, merchantId: string): Promise<UpsertCounts>;
}

/** Builds the transactions import type over the module's store and item dictionary. */
export function transactionImportType(store: TransactionStore, items: Pick<MenuItems, 'pricesByCode'>): TransactionImportType {
  return {
    type: 'transactions',
    shapes: TRANSACTION_SHAPES,
    readHeader,
    async prepare(em, merchantId, shape) {
      return rowValidator(shape, shape === 'maven' ? await items.pricesByCode(merchantId, em) : new Map());
    },
    stage: (tx, records, firstSeq = 0) => store.stage(tx, records, firstSeq),
    upsert: (tx, emit, merchantId) => store.upsert(tx, emit, merchantId, 'csv'),
  };
}
