import type { EntityManager } from '@mikro-orm/postgresql';
import type { Emit } from '../shared/domain-events.js';
import type { ColumnPlan, ColumnSchema } from './csv-columns.js';
import type { Rejection } from './imports.schemas.js';

/** One data record checked by a type: the row to stage, or why it is refused (with its key when readable). */
export type RowResult<Row> = { ok: true; row: Row } | { ok: false; reason: string; key: string | null };

/** Where a type's staged rows go (its staging table, filled by COPY). */
export interface StageSink<Row> {
  write(rowNo: number, row: Row): Promise<void>;
  finish(): Promise<number>;
  abort(reason: Error): Promise<void>;
}

/** A staged file after the type resolved what the file says twice (duplicate keys, clashes). */
export interface PreparedFile {
  duplicates: number;
  /** Rows that would change nothing, taken out before the batches (a type may leave them to the batches: 0). */
  unchanged: number;
  rejections: Rejection[];
  /** The last staged row number: batches cover rows 2 … lastRow. */
  lastRow: number;
}

/** Where a batch writes: its rows (`fromRow` ≤ row < `toRow`) of the staged file, for the import's owner. */
export interface BatchTarget {
  stageId: string;
  merchantId: string;
  plan: ColumnPlan;
  fromRow: number;
  toRow: number;
}

export interface BatchResult {
  /** Records inserted or really changed. */
  upserted: number;
  unchanged: number;
  rejections: Rejection[];
}

export interface DiffResult {
  wouldInsert: number;
  wouldUpdate: number;
  unchanged: number;
  rejections: Rejection[];
}

/** What a finished import tells the rest of the system (its type's durable summary event). */
export interface ImportSummary {
  importId: string;
  merchantId: string;
  status: 'completed' | 'failed' | 'cancelled';
  rowsRead: number;
  rowsUpserted: number;
  rowsUnchanged: number;
  rowsDuplicate: number;
  rowsRejected: number;
  finishedAt: string;
}

/**
 * The extension point of the import pipeline: a type is a column schema, a row validator and the
 * staging/write SQL of the module that owns the target table (reached through that module's index).
 * The pipeline (upload, sniffing, header check, spooling, CSV parsing, progress, batches as
 * transactions, checkpoints, resume, cancel, rejections) is the same for every type.
 */
export interface ImportType<Row = unknown> {
  readonly name: string;
  readonly columns: ColumnSchema;
  /** Validates one record (cells in file order, as `plan` maps them). */
  parseRow(cells: readonly string[], plan: ColumnPlan): RowResult<Row>;
  /** Creates the (empty) staging table of `stageId` and opens its COPY. */
  openStage(stageId: string): Promise<StageSink<Row>>;
  /** Resolves what the file says twice; may take out the rows that would change nothing for the merchant. */
  prepare(stageId: string, merchantId: string, plan: ColumnPlan): Promise<PreparedFile>;
  /** Writes one batch inside the caller's transaction (one transaction per batch). */
  writeBatch(tx: EntityManager, emit: Emit, target: BatchTarget): Promise<BatchResult>;
  /** What writing the prepared file would do, without writing (dry run). */
  diff(stageId: string, merchantId: string, plan: ColumnPlan): Promise<DiffResult>;
  dropStage(stageId: string): Promise<void>;
  /** Emits the type's durable summary event in the import's final transaction. */
  announce(emit: Emit, summary: ImportSummary): void;
}
