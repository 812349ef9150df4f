import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../shared/clock.js';
import { decodeCursor, encodeCursor, isUuid, type Page, type PageQuery } from '../shared/pagination.js';
import { AppError } from '../shared/app-error.js';
import type { DeliveryView } from './webhooks.schemas.js';

/** An attempt taken for sending, with what it sends and where. */
export interface ClaimedAttempt {
  id: string;
  messageId: string;
  endpointId: string;
  merchantId: string;
  attempt: number;
  manual: boolean;
  type: string;
  body: string;
  url: string;
  enabled: boolean;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

interface AttemptRow {
  id: string;
  message_id: string;
  type: string;
  attempt: number;
  status: DeliveryView['status'];
  response_status: number | null;
  duration_ms: number | null;
  error: string | null;
  due_at: Date;
  finished_at: Date | null;
  next_attempt_at: Date | null;
  created_at: Date;
}

/** An attempt whose send never finished within this is taken again (its worker died): at least once. */
const SENDING_STALE_MS = 60_000;

/** Messages (one per event and endpoint: the webhook-id) and their attempts (the delivery log). */
export class DeliveryStore {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  /**
   * A message per endpoint with its first attempt, due now. For an event already fanned out (an
   * outbox redelivery) nothing new is made; its attempts still pending are answered again (their
   * jobs are idempotent, so queuing twice is harmless).
   */
  async createMessages(tx: EntityManager, endpointIds: string[], eventId: string | null, type: string, body: string, manual = false): Promise<string[]> {
    const now = this.clock.now();
    const attempts: string[] = [];
    for (const endpointId of endpointIds) {
      const [message] = await tx.execute<Array<{ id: string }>>(
        `insert into webhook_messages (id, endpoint_id, event_id, type, body, created_at) values (?, ?, ?, ?, ?, ?) on conflict do nothing returning id`,
        [`msg_${randomUUID().replace(/-/g, '')}`, endpointId, eventId, type, body, now],
      );
      if (message) attempts.push(await this.addAttempt(tx, message.id, endpointId, 1, now, manual));
    }
    if (eventId && attempts.length < endpointIds.length) {
      const pending = await tx.execute<Array<{ id: string }>>(
        `select a.id from webhook_attempts a join webhook_messages m on m.id = a.message_id where m.event_id = ? and a.status = 'pending'`,
        [eventId],
      );
      attempts.push(...pending.map((p) => p.id).filter((id) => !attempts.includes(id)));
    }
    return attempts;
  }

  async addAttempt(tx: EntityManager, messageId: string, endpointId: string, attempt: number, dueAt: Date, manual: boolean): Promise<string> {
    const id = randomUUID();
    await tx.execute(
      `insert into webhook_attempts (id, message_id, endpoint_id, attempt, manual, due_at, created_at) values (?, ?, ?, ?, ?, ?, ?)`,
      [id, messageId, endpointId, attempt, manual, dueAt, this.clock.now()],
      'run',
    );
    return id;
  }

  /** Takes a pending attempt (or one whose sender died) for sending; null when someone else has it or it is done. */
  async claim(attemptId: string): Promise<ClaimedAttempt | null> {
    const now = this.clock.now();
    const [row] = await this.em.execute<Array<Record<string, unknown>>>(
      `with claimed as (
         update webhook_attempts set status = 'sending', started_at = ?
         where id = ? and (status = 'pending' or (status = 'sending' and started_at < ?))
         returning id, message_id, endpoint_id, attempt, manual)
       select c.id, c.message_id, c.endpoint_id, c.attempt, c.manual, m.type, m.body, e.url, e.enabled, e.merchant_id, e.secret, e.previous_secret,
              e.previous_secret_expires_at
       from claimed c join webhook_messages m on m.id = c.message_id join webhook_endpoints e on e.id = c.endpoint_id`,
      [now, attemptId, new Date(now.getTime() - SENDING_STALE_MS)],
    );
    if (!row) return null;
    return {
      id: row.id as string,
      messageId: row.message_id as string,
      endpointId: row.endpoint_id as string,
      merchantId: row.merchant_id as string,
      attempt: row.attempt as number,
      manual: row.manual as boolean,
      type: row.type as string,
      body: row.body as string,
      url: row.url as string,
      enabled: row.enabled as boolean,
      secret: row.secret as string,
      previousSecret: row.previous_secret as string | null,
      previousSecretExpiresAt: row.previous_secret_expires_at ? new Date(row.previous_secret_expires_at as string) : null,
    };
  }

  async finish(
    tx: EntityManager,
    attemptId: string,
    outcome: {
      status: 'succeeded' | 'failed' | 'skipped';
      responseStatus: number | null;
      durationMs: number | null;
      error: string | null;
      nextAttemptAt: Date | null;
    },
  ): Promise<void> {
    await tx.execute(
      `update webhook_attempts set status = ?, response_status = ?, duration_ms = ?, error = ?, next_attempt_at = ?, finished_at = ? where id = ?`,
      [outcome.status, outcome.responseStatus, outcome.durationMs, outcome.error?.slice(0, 500) ?? null, outcome.nextAttemptAt, this.clock.now(), attemptId],
      'run',
    );
  }

  /** Replays the message of one of the endpoint's attempts (same webhook-id) as a new, manual attempt. */
  async replay(tx: EntityManager, endpointId: string, attemptId: string): Promise<{ attemptId: string; messageId: string }> {
    const [row] = await tx.execute<Array<{ message_id: string; last: number }>>(
      `select a.message_id, (select max(attempt) from webhook_attempts b where b.message_id = a.message_id) as last
       from webhook_attempts a where a.id = ? and a.endpoint_id = ?`,
      [attemptId, endpointId],
    );
    if (!row) throw new AppError('NOT_FOUND', 'No such delivery for this endpoint');
    return { attemptId: await this.addAttempt(tx, row.message_id, endpointId, row.last + 1, this.clock.now(), true), messageId: row.message_id };
  }

  /** The endpoint's attempts, newest first. */
  async list(endpointId: string, page: PageQuery): Promise<Page<DeliveryView>> {
    const [at, id] = page.cursor ? afterCursor(page.cursor) : ['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
    const rows = await this.em.execute<AttemptRow[]>(
      `select a.id, a.message_id, m.type, a.attempt, a.status, a.response_status, a.duration_ms, a.error, a.due_at, a.finished_at, a.next_attempt_at, a.created_at
       from webhook_attempts a join webhook_messages m on m.id = a.message_id
       where a.endpoint_id = ? and (a.created_at, a.id) < (?, ?) order by a.created_at desc, a.id desc limit ?`,
      [endpointId, at, id, page.limit + 1],
    );
    const served = rows.slice(0, page.limit);
    const last = served[served.length - 1];
    return {
      items: served.map(toView),
      nextCursor: rows.length > page.limit ? encodeCursor([new Date(last.created_at).toISOString(), last.id]) : null,
    };
  }

  /** Attempts due for a while that no job has taken (their job was lost). */
  async overdue(before: Date): Promise<string[]> {
    const rows = await this.em.execute<Array<{ id: string }>>(
      `select id from webhook_attempts where (status = 'pending' and due_at < ?) or (status = 'sending' and started_at < ?) order by due_at limit 500`,
      [before, new Date(this.clock.now().getTime() - SENDING_STALE_MS)],
    );
    return rows.map((r) => r.id);
  }
}

function toView(r: AttemptRow): DeliveryView {
  return {
    id: r.id,
    messageId: r.message_id,
    event: r.type,
    attempt: r.attempt,
    status: r.status,
    responseStatus: r.response_status,
    durationMs: r.duration_ms,
    error: r.error,
    at: new Date(r.finished_at ?? r.due_at).toISOString(),
    nextAttemptAt: r.next_attempt_at ? new Date(r.next_attempt_at).toISOString() : null,
  };
}

function afterCursor(cursor: string): [string, string] {
  const [at, id] = decodeCursor(cursor, 2);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !isUuid(id)) throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
  return [at, id];
}
