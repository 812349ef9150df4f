import type { ColumnPlan } from './csv-columns.js';
import type { ImportPhase, ImportStatus, ImportView } from './imports.schemas.js';

/** What an import keeps beside its counters: how to read the file, and how it was cut into batches. */
export interface ImportOptions {
  plan?: ColumnPlan;
  /** Rows per batch, fixed when the file is staged so a resumed run cuts the same batches. */
  batchRows?: number;
}

/** A row of `imports` as the pipeline reads it. */
export interface ImportRecord {
  id: string;
  type: ImportView['type'];
  merchantId: string;
  createdBy: string;
  status: ImportStatus;
  phase: ImportPhase;
  options: ImportOptions;
  spoolKey: string | null;
  bytesTotal: number | null;
  bytesRead: number;
  bytesParsed: number;
  rowsTotal: number | null;
  rowsRead: number;
  rowsUpserted: number;
  rowsUnchanged: number;
  rowsDuplicate: number;
  rowsRejected: number;
  rowsDeleted: number;
  batchesTotal: number | null;
  batchesDone: number;
  cancelRequested: boolean;
  runToken: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** The columns of `imports` in the order ImportRow lists them. */
export const IMPORT_COLUMNS = `id, type, merchant_id, created_by, status, phase, options, spool_key, bytes_total, bytes_read, bytes_parsed, rows_total,
  rows_read, rows_upserted, rows_unchanged, rows_duplicate, rows_rejected, rows_deleted, batches_total, batches_done, cancel_requested,
  run_token, error, created_at, started_at, finished_at`;

export interface ImportRow {
  id: string;
  type: ImportView['type'];
  merchant_id: string;
  created_by: string;
  status: ImportStatus;
  phase: ImportPhase;
  options: ImportOptions;
  spool_key: string | null;
  bytes_total: string | null;
  bytes_read: string;
  bytes_parsed: string;
  rows_total: number | null;
  rows_read: number;
  rows_upserted: number;
  rows_unchanged: number;
  rows_duplicate: number;
  rows_rejected: number;
  rows_deleted: number;
  batches_total: number | null;
  batches_done: number;
  cancel_requested: boolean;
  run_token: string | null;
  error: string | null;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
}

const date = (v: Date | string | null) => (v === null ? null : new Date(v));

export function toRecord(r: ImportRow): ImportRecord {
  return {
    id: r.id,
    type: r.type,
    merchantId: r.merchant_id,
    createdBy: r.created_by,
    status: r.status,
    phase: r.phase,
    options: r.options ?? {},
    spoolKey: r.spool_key,
    bytesTotal: r.bytes_total === null ? null : Number(r.bytes_total),
    bytesRead: Number(r.bytes_read),
    bytesParsed: Number(r.bytes_parsed),
    rowsTotal: r.rows_total,
    rowsRead: r.rows_read,
    rowsUpserted: r.rows_upserted,
    rowsUnchanged: r.rows_unchanged,
    rowsDuplicate: r.rows_duplicate,
    rowsRejected: r.rows_rejected,
    rowsDeleted: r.rows_deleted,
    batchesTotal: r.batches_total,
    batchesDone: r.batches_done,
    cancelRequested: r.cancel_requested,
    runToken: r.run_token,
    error: r.error,
    createdAt: new Date(r.created_at),
    startedAt: date(r.started_at),
    finishedAt: date(r.finished_at),
  };
}

/** Phase shares of the whole (percent): receiving the file, reading it, writing batches; the rest is finishing. */
const UPLOAD_SHARE = 10;
const PARSE_SHARE = 30;
const WRITE_SHARE = 58;

function fraction(done: number, total: number | null): number {
  return total ? Math.min(1, done / total) : 0;
}

/** How far the operation is, 0–100 (null while an upload of unknown size streams in). */
export function percentOf(r: ImportRecord): number | null {
  if (r.status === 'completed') return 100;
  if (r.type === 'purge') return r.phase === 'finishing' ? 98 : (UPLOAD_SHARE + PARSE_SHARE + WRITE_SHARE) * fraction(r.rowsDeleted, r.rowsTotal);
  switch (r.phase) {
    case 'uploading':
      return r.bytesTotal ? UPLOAD_SHARE * fraction(r.bytesRead, r.bytesTotal) : null;
    case 'parsing':
      return UPLOAD_SHARE + PARSE_SHARE * fraction(r.bytesParsed, r.bytesTotal);
    case 'writing':
      return UPLOAD_SHARE + PARSE_SHARE + WRITE_SHARE * fraction(r.batchesDone, r.batchesTotal);
    default:
      return UPLOAD_SHARE + PARSE_SHARE + WRITE_SHARE;
  }
}

/** Seconds left at the pace so far (null when finished or too early to tell). */
function etaOf(r: ImportRecord, percent: number | null, now: Date): number | null {
  if (percent === null || percent < 1 || percent >= 100 || (r.status !== 'queued' && r.status !== 'running')) return null;
  const elapsed = (now.getTime() - r.createdAt.getTime()) / 1000;
  return Math.max(0, Math.round((elapsed * (100 - percent)) / percent));
}

/** The client's view of an import. */
export function toView(r: ImportRecord, now: Date): ImportView {
  const percent = percentOf(r);
  return {
    id: r.id,
    type: r.type,
    merchantId: r.merchantId,
    status: r.status,
    phase: r.phase,
    bytesTotal: r.bytesTotal,
    bytesRead: r.bytesRead,
    rowsRead: r.rowsRead,
    rowsUpserted: r.rowsUpserted,
    rowsUnchanged: r.rowsUnchanged,
    rowsDuplicate: r.rowsDuplicate,
    rowsRejected: r.rowsRejected,
    rowsDeleted: r.rowsDeleted,
    percent: percent === null ? null : Math.round(percent * 10) / 10,
    etaSeconds: etaOf(r, percent, now),
    ignoredColumns: r.options.plan?.ignored ?? [],
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    ...(r.error ? { error: r.error } : {}),
  };
}
