import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { IMPORT_COLUMNS, toRecord, type ImportOptions, type ImportRecord, type ImportRow } from './import-record.js';
import type { ImportPhase, ImportView } from './imports.schemas.js';

/** Another run of the same import took over (this one stalled past its job lock): it must stop writing. */
export class RunSuperseded extends Error {
  constructor(importId: string) {
    super(`import ${importId} is being run by another worker`);
  }
}

export interface NewImport {
  id: string;
  type: ImportView['type'];
  merchantId: string;
  createdBy: string;
  phase: ImportPhase;
  bytesTotal: number | null;
  rowsTotal?: number;
}

export interface StagedCounts {
  rowsRead: number;
  rowsRejected: number;
  rowsDuplicate: number;
  rowsUnchanged: number;
  batchesTotal: number;
  batchRows: number;
}

export interface BatchCounts {
  upserted: number;
  unchanged: number;
  rejected: number;
}

const RETURNING = `returning ${IMPORT_COLUMNS}`;

/**
 * The `imports` rows. Every write of a run is fenced by its `run_token` (a run that lost its job
 * lock cannot write after another took over), and batch counters move in the transaction of the batch
 * they count, so the row is always the checkpoint a resumed run continues from.
 */
export class ImportStore {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  async create(tx: EntityManager, input: NewImport): Promise<ImportRecord> {
    const now = this.clock.now();
    try {
      const [row] = await tx.execute<ImportRow[]>(
        `insert into imports (id, type, merchant_id, created_by, phase, bytes_total, rows_total, created_at, heartbeat_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?) ${RETURNING}`,
        [input.id, input.type, input.merchantId, input.createdBy, input.phase, input.bytesTotal, input.rowsTotal ?? null, now, now],
      );
      return toRecord(row);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new AppError('CONFLICT', 'An import with this id already exists', { errors: [{ path: 'importId', message: 'already in use' }] });
      }
      throw err;
    }
  }

  async find(id: string, em: EntityManager = this.em): Promise<ImportRecord | null> {
    const [row] = await em.execute<ImportRow[]>(`select ${IMPORT_COLUMNS} from imports where id = ?`, [id]);
    return row ? toRecord(row) : null;
  }

  /** Bytes received so far by the server streaming the upload in. */
  uploadProgress(id: string, bytesRead: number): Promise<ImportRecord | null> {
    return this.one(this.em, `update imports set bytes_read = ?, heartbeat_at = ? where id = ? and phase = 'uploading' and status = 'queued' ${RETURNING}`, [
      bytesRead,
      this.clock.now(),
      id,
    ]);
  }

  /** The upload is spooled: the import waits for a worker. */
  uploaded(tx: EntityManager, id: string, bytes: number, spoolKey: string, options: ImportOptions): Promise<ImportRecord | null> {
    return this.one(
      tx,
      `update imports set phase = 'parsing', bytes_total = ?, bytes_read = ?, spool_key = ?, options = options || ?::jsonb, heartbeat_at = ?
       where id = ? and phase = 'uploading' and status = 'queued' ${RETURNING}`,
      [bytes, bytes, spoolKey, JSON.stringify(options), this.clock.now(), id],
    );
  }

  async remove(tx: EntityManager, id: string): Promise<void> {
    await tx.execute(`delete from imports where id = ?`, [id], 'run');
  }

  /** Takes the import for a run (a fresh token fences out any earlier run); null when there is nothing to run. */
  claim(tx: EntityManager, id: string, token: string): Promise<ImportRecord | null> {
    const now = this.clock.now();
    return this.one(
      tx,
      `update imports set status = 'running', run_token = ?, started_at = coalesce(started_at, ?), heartbeat_at = ?
       where id = ? and status in ('queued', 'running') and phase <> 'uploading' ${RETURNING}`,
      [token, now, now, id],
    );
  }

  /** A run's heartbeat with what it has read so far (not checkpoints: a resumed run reads the file again). */
  runProgress(id: string, token: string, read: { bytesParsed?: number; rowsRead?: number; rowsRejected?: number } = {}): Promise<ImportRecord> {
    return this.fenced(
      this.em,
      id,
      `update imports set heartbeat_at = ?, bytes_parsed = coalesce(?, bytes_parsed), rows_read = coalesce(?, rows_read), rows_rejected = coalesce(?, rows_rejected)
       where id = ? and run_token = ? ${RETURNING}`,
      [this.clock.now(), read.bytesParsed ?? null, read.rowsRead ?? null, read.rowsRejected ?? null, id, token],
    );
  }

  /** The file is staged: from now on a resumed run continues with the batches. */
  staged(tx: EntityManager, id: string, token: string, c: StagedCounts): Promise<ImportRecord> {
    return this.fenced(
      tx,
      id,
      `update imports set phase = 'writing', rows_read = ?, rows_rejected = ?, rows_duplicate = ?, rows_unchanged = ?, batches_total = ?, batches_done = 0,
         bytes_parsed = coalesce(bytes_total, bytes_parsed), options = options || ?::jsonb, heartbeat_at = ?
       where id = ? and run_token = ? ${RETURNING}`,
      [c.rowsRead, c.rowsRejected, c.rowsDuplicate, c.rowsUnchanged, c.batchesTotal, JSON.stringify({ batchRows: c.batchRows }), this.clock.now(), id, token],
    );
  }

  /** Batch `done` (1-based) committed, in its own transaction. */
  batchDone(tx: EntityManager, id: string, token: string, done: number, c: BatchCounts): Promise<ImportRecord> {
    return this.fenced(
      tx,
      id,
      `update imports set batches_done = ?, rows_upserted = rows_upserted + ?, rows_unchanged = rows_unchanged + ?,
         rows_rejected = rows_rejected + ?, heartbeat_at = ?
       where id = ? and run_token = ? and batches_done = ? ${RETURNING}`,
      [done, c.upserted, c.unchanged, c.rejected, this.clock.now(), id, token, done - 1],
    );
  }

  /** A purge batch committed, in its own transaction. */
  purged(tx: EntityManager, id: string, token: string, deleted: number): Promise<ImportRecord> {
    return this.fenced(
      tx,
      id,
      `update imports set rows_deleted = rows_deleted + ?, batches_done = batches_done + 1, heartbeat_at = ? where id = ? and run_token = ? ${RETURNING}`,
      [deleted, this.clock.now(), id, token],
    );
  }

  /** Ends the import (the run holding `token`, or, with null, one nobody runs yet). */
  finish(tx: EntityManager, id: string, token: string | null, status: 'completed' | 'failed' | 'cancelled', error?: string): Promise<ImportRecord | null> {
    return this.one(
      tx,
      `update imports set status = ?, phase = 'finishing', error = ?, finished_at = ?, heartbeat_at = ?
       where id = ? and status in ('queued', 'running') and ${token ? 'run_token = ?' : `status = 'queued'`} ${RETURNING}`,
      [status, error?.slice(0, 1000) ?? null, this.clock.now(), this.clock.now(), id, ...(token ? [token] : [])],
    );
  }

  /** Asks the running import to stop at its next batch boundary. */
  requestCancel(id: string): Promise<ImportRecord | null> {
    return this.one(this.em, `update imports set cancel_requested = true where id = ? and status in ('queued', 'running') ${RETURNING}`, [id]);
  }

  /** Finished imports still holding a spooled file (or a staging table), and uploads that stopped arriving. */
  async stale(before: Date): Promise<{ finished: ImportRecord[]; abandonedUploads: ImportRecord[] }> {
    const finished = await this.em.execute<ImportRow[]>(
      `select ${IMPORT_COLUMNS} from imports where status not in ('queued', 'running') and spool_key is not null and finished_at < ? limit 100`,
      [before],
    );
    const abandoned = await this.em.execute<ImportRow[]>(
      `select ${IMPORT_COLUMNS} from imports where status = 'queued' and phase = 'uploading' and heartbeat_at < ? limit 100`,
      [before],
    );
    return { finished: finished.map(toRecord), abandonedUploads: abandoned.map(toRecord) };
  }

  async forgetSpool(id: string): Promise<void> {
    await this.em.execute(`update imports set spool_key = null where id = ?`, [id], 'run');
  }

  private async one(em: EntityManager, sql: string, params: unknown[]): Promise<ImportRecord | null> {
    const [row] = await em.execute<ImportRow[]>(sql, params);
    return row ? toRecord(row) : null;
  }

  private async fenced(tx: EntityManager, id: string, sql: string, params: unknown[]): Promise<ImportRecord> {
    const record = await this.one(tx, sql, params);
    if (!record) throw new RunSuperseded(id);
    return record;
  }
}
