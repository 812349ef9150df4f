import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

/** A replayed success: the first request's stored result. (A replayed refusal is thrown again, marked `replayed`.) */
export interface Replay<T> {
  result: T;
  replayed: true;
}

interface Row {
  request_hash: string;
  outcome: 'pending' | 'created' | 'refused';
  response: unknown;
}

/** Hash of the request that a key is bound to: the validated input, canonically ordered. */
export function requestHash(scope: string, input: unknown): string {
  return createHash('sha256').update(scope).update('\0').update(canonicalJson(input)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Idempotency-Key records: the outcome of the first request with a key (what it created, or why it
 * was refused). `claim` inserts the key inside the caller's transaction: a concurrent request with the
 * same key blocks on the primary key until the first commits, then replays it.
 */
export class IdempotencyStore {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  /**
   * Null when this request owns the key now; otherwise the stored result (or the stored refusal, thrown).
   * The first statement of a checkout, so it also bounds the rest of the transaction (SET LOCAL through
   * set_config, in the same round trip): no later statement, and no idle gap between statements, may
   * last longer than `statementTimeoutMs`.
   */
  async claim<T>(tx: EntityManager, userId: string, key: string, hash: string, statementTimeoutMs: number): Promise<Replay<T> | null> {
    const now = this.clock.now();
    const bound = String(statementTimeoutMs);
    const claimed = await tx.execute(
      `insert into idempotency_keys (user_id, key, request_hash, outcome, response, created_at)
       select ?::uuid, ?, ?, 'pending', '{}'::jsonb, ?::timestamptz
       from (select set_config('statement_timeout', ?, true), set_config('idle_in_transaction_session_timeout', ?, true)) as bounds
       where true
       on conflict (user_id, key) do update
         set request_hash = excluded.request_hash, outcome = 'pending', response = '{}', created_at = excluded.created_at
         where idempotency_keys.created_at < ?
       returning 1 as claimed`,
      [userId, key, hash, now, bound, bound, new Date(now.getTime() - IDEMPOTENCY_TTL_MS)],
    );
    if (claimed.length) return null;
    const [row] = await tx.execute<Row[]>(`select request_hash, outcome, response from idempotency_keys where user_id = ? and key = ?`, [userId, key]);
    return replay<T>(row, hash);
  }

  /** Stores what the request that claimed the key created (same transaction). */
  async complete(tx: EntityManager, userId: string, key: string, result: unknown): Promise<void> {
    await tx.execute(`update idempotency_keys set outcome = 'created', response = ? where user_id = ? and key = ?`, [JSON.stringify(result), userId, key]);
  }

  /** After a rolled-back refusal (e.g. OUT_OF_STOCK), stores it so a retry gets the same answer. */
  async recordRefusal(userId: string, key: string, hash: string, error: AppError): Promise<void> {
    const body = { code: error.code, message: error.message, details: error.details };
    await this.em.execute(
      `insert into idempotency_keys (user_id, key, request_hash, outcome, response, created_at)
       values (?, ?, ?, 'refused', ?, ?) on conflict (user_id, key) do nothing`,
      [userId, key, hash, JSON.stringify(body), this.clock.now()],
    );
  }

  /** Deletes records older than 24 h; returns how many. */
  async removeExpired(): Promise<number> {
    const res = await this.em.execute(`delete from idempotency_keys where created_at < ?`, [new Date(this.clock.now().getTime() - IDEMPOTENCY_TTL_MS)], 'run');
    return (res as unknown as { affectedRows: number }).affectedRows;
  }
}

function replay<T>(row: Row, hash: string): Replay<T> {
  if (row.request_hash !== hash) {
    throw new AppError('IDEMPOTENCY_MISMATCH', 'This Idempotency-Key was used with a different request body');
  }
  if (row.outcome === 'refused') {
    const e = row.response as { code: AppError['code']; message: string; details: Record<string, unknown> };
    throw new AppError(e.code, e.message, { ...e.details, replayed: true });
  }
  return { result: row.response as T, replayed: true };
}
