import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.js';
import type { JobQueue } from '../../shared/job-queue.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import { PosConnection } from '../pos-connection.entity.js';
import type { TransactionStore } from '../transactions/transaction-store.js';
import { PosError, SyncSuperseded } from './pos-error.js';
import type { SquareClient, SearchOrdersRequest, SquareConnection } from './square-client.js';
import { squareOrderLines } from './square-orders.js';
import { advancePosition, openWindow, readSyncPosition, restartWindow, type SyncPosition } from './sync-checkpoint.js';
import type { TokenCipher } from './token-cipher.js';

export type SyncTrigger = 'schedule' | 'manual' | 'retry';
export interface SyncReport {
  outcome: 'ok' | 'failed' | 'superseded' | 'skipped';
  pages: number;
  lines: number;
  reason?: PosError['reason'];
}

export interface PosSyncDeps {
  em: EntityManager;
  uow: UnitOfWork;
  clock: Clock;
  log: Logger;
  jobs: JobQueue;
  client: SquareClient;
  store: TransactionStore;
  cipher?: TokenCipher;
  /** `limit` of each SearchOrders call (Square allows up to 500). */
  pageSize: number;
  /** Each window starts this long before the checkpoint: orders Square indexes late are still found (re-reads are idempotent). */
  overlapMs: number;
  /** After a failed run (not a refused token): retry jobs this long after the 1st, 2nd … failure in a row. */
  retryDelaysMs: number[];
  /** Called after a successful run (the daily rollups are brought up to date); must not throw. */
  synced?: (merchantId: string) => Promise<void>;
}

/**
 * One sync run of a Square connection: pages `POST /v2/orders/search` over `checkpoint − overlap ..
 * window end` (COMPLETED orders, by closed_at ascending), the identical query on every page with only the
 * cursor changing. Each page's lines and the next position commit together, so a run killed at any point
 * resumes at the page after the last committed one: no gap, and no line twice (lines are unique by
 * merchant, source and line id anyway). Failures are recorded on the connection and the run, emitted
 * as `pos.sync_failed`, and retried later by a job; the 12-hour schedule never moves.
 */
export class PosSync {
  constructor(private readonly deps: PosSyncDeps) {}

  async run(connectionId: string, trigger: SyncTrigger): Promise<SyncReport> {
    const conn = await this.deps.em.fork().findOne(PosConnection, { id: connectionId });
    if (!conn || conn.status === 'needs_reauth') return { outcome: 'skipped', pages: 0, lines: 0 };
    const runId = randomUUID();
    await this.deps.uow.run(async (tx) => {
      // A run still `running` died with its worker (this run resumes its work from the checkpoint); one
      // that is in fact alive is fenced out at its next page and then records `superseded` over this.
      await tx.execute(
        `update analytics_pos_sync_runs set outcome = 'interrupted', error = ?, finished_at = ? where connection_id = ? and outcome = 'running'`,
        [`stopped without finishing (its worker died); run ${runId} resumed from the checkpoint`, this.deps.clock.now(), connectionId],
        'run',
      );
      await tx.execute(
        `insert into analytics_pos_sync_runs (id, connection_id, trigger, outcome, started_at) values (?, ?, ?, 'running', ?)`,
        [runId, connectionId, trigger, this.deps.clock.now()],
        'run',
      );
    });
    const progress = { pages: 0, lines: 0 };
    try {
      await this.pageThrough(conn, this.connection(conn), runId, progress);
      await this.succeed(conn, runId);
      await this.deps.synced?.(conn.merchantId);
      return { outcome: 'ok', ...progress };
    } catch (err) {
      if (err instanceof SyncSuperseded) {
        await this.finishRun(this.deps.em, runId, 'superseded', null);
        return { outcome: 'superseded', ...progress };
      }
      const failure = err instanceof PosError ? err : new PosError('internal', (err as Error).message);
      if (failure.reason === 'internal') this.deps.log.error({ err, connectionId }, 'pos sync failed unexpectedly');
      await this.fail(conn, runId, failure);
      return { outcome: 'failed', ...progress, reason: failure.reason };
    }
  }

  private connection(conn: PosConnection): SquareConnection {
    if (!this.deps.cipher) throw new PosError('internal', 'POS_TOKEN_KEY is not configured');
    try {
      return { baseUrl: conn.baseUrl, accessToken: this.deps.cipher.decrypt(conn.tokenCiphertext, conn.merchantId) };
    } catch {
      throw new PosError('internal', 'The stored token does not decrypt with POS_TOKEN_KEY');
    }
  }

  private async pageThrough(conn: PosConnection, square: SquareConnection, runId: string, progress: { pages: number; lines: number }): Promise<void> {
    const { uow, clock, client } = this.deps;
    let pos = (await readSyncPosition(this.deps.em, conn.id)) ?? raise(new SyncSuperseded());
    if (!pos.windowEnd) pos = await uow.run((tx) => openWindow(tx, conn.id, pos, clock.now(), clock.now()));
    let restarted = false;
    for (;;) {
      let page: Awaited<ReturnType<SquareClient['searchOrders']>>;
      try {
        page = await client.searchOrders(square, this.query(conn.locationId, pos));
      } catch (err) {
        // A cursor Square no longer knows: page the same window again from the start (re-reads are idempotent).
        if (!(err instanceof PosError && err.status === 400 && pos.cursor && !restarted)) throw err;
        const from = pos;
        pos = await uow.run((tx) => restartWindow(tx, conn.id, from, clock.now()));
        restarted = true;
        continue;
      }
      pos = await this.commitPage(conn, runId, pos, page, progress);
      if (!page.cursor) return;
    }
  }

  private query(locationId: string, pos: SyncPosition): SearchOrdersRequest {
    const start = new Date(pos.checkpoint.getTime() - this.deps.overlapMs).toISOString();
    return {
      location_ids: [locationId],
      query: {
        filter: { state_filter: { states: ['COMPLETED'] }, date_time_filter: { closed_at: { start_at: start, end_at: pos.windowEnd!.toISOString() } } },
        sort: { sort_field: 'CLOSED_AT', sort_order: 'ASC' },
      },
      limit: this.deps.pageSize,
      ...(pos.cursor ? { cursor: pos.cursor } : {}),
    };
  }

  private commitPage(
    conn: PosConnection,
    runId: string,
    pos: SyncPosition,
    page: Awaited<ReturnType<SquareClient['searchOrders']>>,
    progress: { pages: number; lines: number },
  ): Promise<SyncPosition> {
    const lines = squareOrderLines(page.orders ?? []);
    return this.deps.uow.run(async (tx, emit) => {
      await this.deps.store.stage(tx, lines);
      await this.deps.store.upsert(tx, emit, conn.merchantId, 'square');
      const next = await advancePosition(tx, conn.id, pos, page.cursor ?? null, this.deps.clock.now());
      await tx.execute(`update analytics_pos_sync_runs set pages = pages + 1, lines = lines + ? where id = ?`, [lines.length, runId], 'run');
      progress.pages += 1;
      progress.lines += lines.length;
      return next;
    });
  }

  private async succeed(conn: PosConnection, runId: string): Promise<void> {
    await this.deps.uow.run(async (tx) => {
      await tx.execute(
        `update analytics_pos_connections set status = 'ok', last_success_at = ?, consecutive_failures = 0, updated_at = ? where id = ? and status <> 'needs_reauth'`,
        [this.deps.clock.now(), this.deps.clock.now(), conn.id],
        'run',
      );
      await this.finishRun(tx, runId, 'ok', null);
    });
  }

  private async fail(conn: PosConnection, runId: string, failure: PosError): Promise<void> {
    const { clock, jobs, retryDelaysMs } = this.deps;
    const needsReauth = failure.reason === 'unauthorized';
    const failures = await this.deps.uow.run(async (tx, emit) => {
      const [row] = await tx.execute<Array<{ consecutive_failures: number }>>(
        `update analytics_pos_connections set status = ?, last_error = ?, last_error_at = ?, consecutive_failures = consecutive_failures + 1, updated_at = ?
         where id = ? returning consecutive_failures`,
        [needsReauth ? 'needs_reauth' : 'failing', failure.message, clock.now(), clock.now(), conn.id],
      );
      await this.finishRun(tx, runId, 'failed', failure);
      emit('pos.sync_failed', { merchantId: conn.merchantId, connectionId: conn.id, reason: failure.reason, message: failure.message, needsReauth });
      return row?.consecutive_failures ?? 0;
    });
    const delay = retryDelaysMs[failures - 1];
    if (!needsReauth && failures > 0 && delay !== undefined) {
      await jobs.enqueue('analytics.pos-sync', { connectionId: conn.id, trigger: 'retry' }, { at: new Date(clock.now().getTime() + delay) });
    }
  }

  private async finishRun(em: EntityManager, runId: string, outcome: 'ok' | 'failed' | 'superseded', failure: PosError | null): Promise<void> {
    await em.execute(
      `update analytics_pos_sync_runs set outcome = ?, reason = ?, error = ?, finished_at = ? where id = ?`,
      [outcome, failure?.reason ?? null, failure?.message ?? null, this.deps.clock.now(), runId],
      'run',
    );
  }
}

function raise(err: Error): never {
  throw err;
}
