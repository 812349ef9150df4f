import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../shared/clock.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { uuidArray } from '../shared/uuid-array.js';
import type { NotificationDraft } from './notification-draft.js';
import type { NotificationPush } from './notifications.schemas.js';
import { deliverAt } from './quiet-hours.js';

interface CreatedRow {
  id: string;
  user_id: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

interface ChannelRow {
  user_id: string;
  email: boolean | null;
  sms: boolean | null;
  push: boolean | null;
  quiet_from: string | null;
  quiet_to: string | null;
  quiet_time_zone: string | null;
  has_device: boolean;
}

export interface NotificationCenterDeps {
  uow: UnitOfWork;
  clock: Clock;
  /** Called after a commit that queued deliveries due now (a local sender starts at once). */
  onDeliveriesDue: () => void;
  /** Called with how many notifications of a type were created (metrics). */
  onCreated?: (type: string, count: number) => void;
}

/**
 * Creates notifications in one transaction per call, each at most once: the insert skips a
 * `(user, type, subject)` that exists, so only the new ones are pushed to sockets (after the commit)
 * and queued for the user's other channels (e-mail, SMS, push; after their quiet hours when inside them).
 */
export class NotificationCenter {
  constructor(private readonly d: NotificationCenterDeps) {}

  /** Returns the notifications created now (drafts that had notified before are left out). */
  async notify(drafts: NotificationDraft[]): Promise<NotificationPush[]> {
    if (drafts.length === 0) return [];
    const now = this.d.clock.now();
    const { created, queued } = await this.d.uow.run(async (tx, emit) => {
      const rows = await insertNew(tx, drafts, now);
      const views = rows.map((r) => ({ userId: r.user_id, notification: toPush(r, now) }));
      if (views.length) emit('notifications.created', { items: views });
      return { created: views, queued: await queueDeliveries(tx, rows, now) };
    });
    for (const [type, count] of countByType(created.map((c) => c.notification))) this.d.onCreated?.(type, count);
    if (queued) this.d.onDeliveriesDue();
    return created.map((c) => c.notification);
  }
}

/**
 * Inserts the drafts that do not exist yet, one statement per shared content (a reminder batch is one
 * content for thousands of users): only user ids and subjects travel per row.
 */
async function insertNew(tx: EntityManager, drafts: NotificationDraft[], now: Date): Promise<CreatedRow[]> {
  const created: CreatedRow[] = [];
  for (const group of byContent(drafts).values()) {
    const { type, title, body, data } = group[0];
    const rows = await tx.execute<Array<{ id: string; user_id: string }>>(
      `insert into notifications (id, user_id, type, subject, title, body, data, created_at)
       select gen_random_uuid(), x.user_id, ?, x.subject, ?, ?, ?::jsonb, ?
       from rows from (unnest(?::uuid[]), jsonb_array_elements_text(?::jsonb)) as x(user_id, subject)
       on conflict (user_id, type, subject) do nothing
       returning id, user_id`,
      [type, title, body, JSON.stringify(data), now, uuidArray(group.map((d) => d.userId)), JSON.stringify(group.map((d) => d.subject))],
    );
    created.push(...rows.map((r) => ({ ...r, type, title, body, data })));
  }
  return created;
}

function byContent(drafts: NotificationDraft[]): Map<string, NotificationDraft[]> {
  const groups = new Map<string, NotificationDraft[]>();
  for (const d of drafts) {
    const key = JSON.stringify([d.type, d.title, d.body, d.data]);
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  return groups;
}

/** Queues each new notification for the channels its user wants; returns how many are due now. */
async function queueDeliveries(tx: EntityManager, rows: CreatedRow[], now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const channels = await tx.execute<ChannelRow[]>(
    `select u.user_id, p.email, p.sms, p.push, p.quiet_from, p.quiet_to, p.quiet_time_zone,
            exists (select 1 from devices d where d.user_id = u.user_id) as has_device
     from unnest(?::uuid[]) as u(user_id) left join notification_preferences p on p.user_id = u.user_id`,
    [uuidArray(new Set(rows.map((r) => r.user_id)))],
  );
  const byUser = new Map(channels.map((c) => [c.user_id, c]));
  const deliveries = rows.flatMap((r) => {
    const c = byUser.get(r.user_id)!;
    const quiet = c.quiet_from && c.quiet_to && c.quiet_time_zone ? { from: c.quiet_from, to: c.quiet_to, timeZone: c.quiet_time_zone } : null;
    const due = deliverAt(now, quiet).toISOString();
    const wanted = [c.email && 'email', c.sms && 'sms', (c.push ?? true) && c.has_device && 'push'].filter(Boolean) as string[];
    return wanted.map((channel) => ({ notification_id: r.id, channel, user_id: r.user_id, due_at: due }));
  });
  if (deliveries.length === 0) return 0;
  await tx.execute(
    `insert into notification_deliveries (notification_id, channel, user_id, due_at)
     select notification_id, channel, user_id, due_at from jsonb_to_recordset(?::jsonb)
       as x(notification_id uuid, channel text, user_id uuid, due_at timestamptz)
     on conflict do nothing`,
    [JSON.stringify(deliveries)],
  );
  return deliveries.filter((d) => Date.parse(d.due_at) <= now.getTime()).length;
}

function toPush(r: CreatedRow, createdAt: Date): NotificationPush {
  return { id: r.id, type: r.type, title: r.title, body: r.body, data: r.data, createdAt: createdAt.toISOString() };
}

function countByType(items: NotificationPush[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of items) counts.set(n.type, (counts.get(n.type) ?? 0) + 1);
  return counts;
}
