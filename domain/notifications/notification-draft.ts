import type { DomainEventName, DomainEvents, EventEnvelope } from '../shared/domain-events.js';

/** A notification to create: `(userId, type, subject)` is its identity, so the same draft never notifies twice. */
export interface NotificationDraft {
  userId: string;
  /** What happened, dotted (`order.status_changed`); clients switch on it. */
  type: string;
  /** What it is about, unique per user and type (`<orderId>:confirmed`, `<locality>/<date>`). */
  subject: string;
  title: string;
  body: string;
  /** Ids the app needs to open it (order id, meal set id…). */
  data: Record<string, unknown>;
}

/** Turns one domain event into the notifications it causes (none is fine). */
export type NotificationMapping<K extends DomainEventName> = (
  payload: DomainEvents[K],
  event: EventEnvelope<K>,
) => NotificationDraft[] | Promise<NotificationDraft[]>;

/** An event and its mapping, as a list entry (see producers/index.ts). */
export interface NotificationProducer {
  event: DomainEventName;
  map: NotificationMapping<never>;
}

/** Pairs an event with its mapping, type-checked against the event's payload. */
export function producer<K extends DomainEventName>(event: K, map: NotificationMapping<K>): NotificationProducer {
  return { event, map: map as NotificationMapping<never> };
}
