import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../shared/app-error.js';
import type { Clock } from '../../shared/clock.js';
import type { JobQueue } from '../../shared/job-queue.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { PosConnectionInput, PosConnectionView } from '../analytics.schemas.js';
import { PosConnection, type PosSyncRun } from '../pos-connection.entity.js';
import { isoOrNull } from '../iso-time.js';
import type { TokenCipher } from './token-cipher.js';

export const SQUARE_BASE_URL = 'https://connect.squareup.com';
const RECENT_RUNS = 10;
const DAY_MS = 86_400_000;

export interface PosSettings {
  /** Encrypts tokens at rest; without it connections are refused (UNAVAILABLE). */
  cipher?: TokenCipher;
  /** Origins a connection may name as baseUrl (an entry without a port allows any port of its host). */
  allowedBaseUrls: string[];
  /** Time between scheduled syncs of a connection (12 h). */
  intervalMs: number;
  /** How far back the first sync reaches when `since` is not given. */
  backfillDays: number;
}

/**
 * A merchant's POS connection: PUT (token encrypted, never returned), GET with its sync state, DELETE,
 * and syncs on demand. Connecting queues a first sync at once; after that the connection is synced
 * every `intervalMs` from `next_run_at` (see PosSchedule), whatever the outcome of each run.
 */
export class PosConnections {
  constructor(
    private readonly em: EntityManager,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    private readonly settings: PosSettings,
  ) {}

  async connect(merchantId: string, input: PosConnectionInput): Promise<PosConnectionView> {
    const cipher = this.settings.cipher;
    if (!cipher) throw new AppError('UNAVAILABLE', 'POS connections are disabled: POS_TOKEN_KEY is not configured');
    const baseUrl = this.checkBaseUrl(input.baseUrl ?? SQUARE_BASE_URL);
    const now = this.clock.now();
    const since = input.since ? new Date(input.since) : new Date(now.getTime() - this.settings.backfillDays * DAY_MS);
    const id = await this.uow.run(async (tx) => {
      const existing = await tx.findOne(PosConnection, { merchantId });
      const row = existing ?? tx.create(PosConnection, newConnection(merchantId, now, this.settings.intervalMs, since));
      // Another location, store or start point is another history: start it over (and fence out a running sync).
      if (existing && (existing.locationId !== input.locationId || existing.baseUrl !== baseUrl || input.since)) resetCheckpoint(row, since);
      Object.assign(row, { locationId: input.locationId, baseUrl, tokenCiphertext: cipher.encrypt(input.accessToken, merchantId) });
      Object.assign(row, { status: 'ok', consecutiveFailures: 0, version: row.version + (existing ? 1 : 0), updatedAt: now });
      await tx.flush();
      return row.id;
    });
    await this.jobs.enqueue('analytics.pos-sync', { connectionId: id, trigger: 'manual' });
    return this.view(merchantId);
  }

  async view(merchantId: string): Promise<PosConnectionView> {
    const em = this.em.fork();
    // Runs first: a run and its connection change in one transaction, so the connection read after a
    // finished run is never older than that run (under read committed each query has its own snapshot).
    const runs = await em.execute<RunRow[]>(
      `select r.trigger, r.outcome, r.pages, r.lines, r.reason, r.error, r.started_at, r.finished_at
       from analytics_pos_sync_runs r join analytics_pos_connections c on c.id = r.connection_id
       where c.merchant_id = ? order by r.started_at desc limit ?`,
      [merchantId, RECENT_RUNS],
    );
    const row = await em.findOne(PosConnection, { merchantId });
    if (!row) throw new AppError('NOT_FOUND', 'No POS connection');
    return toView(row, runs);
  }

  /** Removes the connection (its stored transactions stay). */
  async disconnect(merchantId: string): Promise<void> {
    const removed = await this.em.execute(`delete from analytics_pos_connections where merchant_id = ? returning id`, [merchantId]);
    if (removed.length === 0) throw new AppError('NOT_FOUND', 'No POS connection');
  }

  /** Queues a sync now; the 12-hour schedule is unchanged. */
  async requestSync(merchantId: string): Promise<{ jobId: string }> {
    const row = await this.em.fork().findOne(PosConnection, { merchantId });
    if (!row) throw new AppError('NOT_FOUND', 'No POS connection');
    if (row.status === 'needs_reauth') throw new AppError('CONFLICT', 'The POS refused the token: connect again with a new access token');
    return this.jobs.enqueue('analytics.pos-sync', { connectionId: row.id, trigger: 'manual' });
  }

  private checkBaseUrl(raw: string): string {
    const url = new URL(raw);
    const allowed = this.settings.allowedBaseUrls.some((entry) => {
      const a = new URL(entry);
      return a.protocol === url.protocol && a.hostname === url.hostname && (a.port === '' || a.port === url.port);
    });
    if (!allowed || url.pathname !== '/' || url.search || url.username) {
      throw AppError.validation([{ path: 'baseUrl', message: 'must be an allowed POS API origin (see POS_ALLOWED_BASE_URLS)' }]);
    }
    return url.origin;
  }
}

function newConnection(merchantId: string, now: Date, intervalMs: number, since: Date) {
  return {
    id: randomUUID(),
    merchantId,
    provider: 'square' as const,
    locationId: '',
    baseUrl: '',
    tokenCiphertext: '',
    status: 'ok' as const,
    nextRunAt: new Date(now.getTime() + intervalMs),
    consecutiveFailures: 0,
    checkpointClosedAt: since,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

function resetCheckpoint(row: PosConnection, since: Date): void {
  Object.assign(row, { checkpointClosedAt: since, windowEndAt: null, cursor: null });
}

interface RunRow {
  trigger: PosSyncRun['trigger'];
  outcome: PosSyncRun['outcome'];
  pages: number;
  lines: number;
  reason: string | null;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

function toView(row: PosConnection, runs: RunRow[]): PosConnectionView {
  return {
    provider: row.provider,
    locationId: row.locationId,
    baseUrl: row.baseUrl,
    status: row.status,
    lastSuccessAt: isoOrNull(row.lastSuccessAt),
    lastError: row.lastError ?? null,
    lastErrorAt: isoOrNull(row.lastErrorAt),
    nextRunAt: row.status === 'needs_reauth' ? null : row.nextRunAt.toISOString(),
    syncedUntil: row.checkpointClosedAt.toISOString(),
    recentRuns: runs.map((r) => ({
      trigger: r.trigger,
      outcome: r.outcome,
      pages: r.pages,
      lines: r.lines,
      reason: r.reason,
      error: r.error,
      startedAt: new Date(r.started_at).toISOString(),
      finishedAt: isoOrNull(r.finished_at),
    })),
  };
}
