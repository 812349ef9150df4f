import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { Sql } from '../shared/sql.js';

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

/** A replayed success: the first request's stored result. (A replayed refusal is thrown again, marked `replayed`.) */
export interface Replay<T> {
  result: T;
  replayed: true;
}

/** One request's claim on its Idempotency-Key. */
export interface KeyClaim {
  userId: string;
  key: string;
  hash: string;
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
   * Claims every key of a batch in one statement, in (user, key) order so that two batches claiming
   * overlapping keys lock them in the same order. Per claim: null when this request owns the key now;
   * otherwise the stored result, or the stored refusal (or IDEMPOTENCY_MISMATCH) as an error to answer.
   * The first statement of a checkout, so it also bounds the rest of the transaction (SET LOCAL through
   * set_config, in the same round trip): no later statement, and no idle gap between statements, may
   * last longer than `statementTimeoutMs`. A concurrent request with a claimed key blocks on the primary
   * key until the first commits, then replays it. The claims must name distinct keys.
   */
  async claimAll<T>(tx: EntityManager, claims: readonly KeyClaim[], statementTimeoutMs: number): Promise<Array<Replay<T> | AppError | null>> {
    const now = this.clock.now();
    const bound = String(statementTimeoutMs);
    const sorted = [...claims].sort((a, b) => (a.userId + a.key < b.userId + b.key ? -1 : 1));
    const claimed = await tx.execute<Array<{ user_id: string; key: string }>>(
      `insert into idempotency_keys (user_id, key, request_hash, outcome, response, created_at)
       select v.u::uuid, v.k, v.h, 'pending', '{}'::jsonb, ?::timestamptz
       from (select set_config('statement_timeout', ?, true), set_config('idle_in_transaction_session_timeout', ?, true)) as bounds,
            (values ${sorted.map(() => '(?, ?, ?, ?::int)').join(', ')}) as v(u, k, h, i)
       where true
       order by v.i
       on conflict (user_id, key) do update
         set request_hash = excluded.request_hash, outcome = 'pending', response = '{}', created_at = excluded.created_at
         where idempotency_keys.created_at < ?
       returning user_id, key`,
      [now, bound, bound, ...sorted.flatMap((c, i) => [c.userId, c.key, c.hash, i]), new Date(now.getTime() - IDEMPOTENCY_TTL_MS)],
    );
    const mine = new Set(claimed.map((r) => `${r.user_id} ${r.key}`));
    const taken = claims.filter((c) => !mine.has(`${c.userId} ${c.key}`));
    const stored = new Map<string, Row>();
    if (taken.length) {
      const rows = await tx.execute<Array<Row & { user_id: string; key: string }>>(
        `select user_id, key, request_hash, outcome, response from idempotency_keys where (user_id, key) in (${taken.map(() => '(?::uuid, ?)').join(', ')})`,
        taken.flatMap((c) => [c.userId, c.key]),
      );
      for (const r of rows) stored.set(`${r.user_id} ${r.key}`, r);
    }
    return claims.map((c) => {
      const id = `${c.userId} ${c.key}`;
      if (mine.has(id)) return null;
      try {
        return replay<T>(stored.get(id)!, c.hash);
      } catch (err) {
        return err as AppError;
      }
    });
  }

  /**
   * Stores what each request that claimed its key created: a statement for the caller to send in the
   * same transaction (the checkout sends it with its orders, in one round trip), run only when the CTE
   * named `guard` yields a row.
   */
  completion(done: ReadonlyArray<{ userId: string; key: string; result: unknown }>, guard: string): Sql {
    return new Sql(
      `update idempotency_keys k set outcome = 'created', response = v.r::jsonb
       from (values ${done.map(() => '(?::uuid, ?, ?)').join(', ')}) as v(u, k, r)
       where k.user_id = v.u and k.key = v.k and exists (select 1 from ${guard})`,
      done.flatMap((d) => [d.userId, d.key, JSON.stringify(d.result)]),
    );
  }

  /**
   * Settles keys this transaction claimed for requests it refuses while it commits others: a refusal a
   * retry must get again is stored; any other failure frees the key, as a rolled-back claim would.
   */
  async refuseAll(tx: EntityManager, refused: ReadonlyArray<{ userId: string; key: string; error: AppError | null }>): Promise<void> {
    const stored = refused.filter((r) => r.error);
    const freed = refused.filter((r) => !r.error);
    if (stored.length) {
      await tx.execute(
        `update idempotency_keys k set outcome = 'refused', response = v.r::jsonb
         from (values ${stored.map(() => '(?::uuid, ?, ?)').join(', ')}) as v(u, k, r) where k.user_id = v.u and k.key = v.k`,
        stored.flatMap((r) => [r.userId, r.key, JSON.stringify(refusalBody(r.error!))]),
      );
    }
    if (freed.length) {
      await tx.execute(
        `delete from idempotency_keys where (user_id, key) in (${freed.map(() => '(?::uuid, ?)').join(', ')})`,
        freed.flatMap((r) => [r.userId, r.key]),
      );
    }
  }

  /** After a rolled-back refusal (e.g. OUT_OF_STOCK), stores it so a retry gets the same answer. */
  async recordRefusal(userId: string, key: string, hash: string, error: AppError): Promise<void> {
    const body = refusalBody(error);
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

function refusalBody(error: AppError) {
  return { code: error.code, message: error.message, details: error.details };
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
