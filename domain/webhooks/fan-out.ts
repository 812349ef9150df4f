import type { EntityManager } from '@mikro-orm/postgresql';
import type { DomainEvents, EventEnvelope } from '../shared/domain-events.js';
import type { JobQueue } from '../shared/job-queue.js';
import type { Outbox } from '../shared/outbox.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import type { DeliveryStore } from './delivery-store.js';
import type { WebhookEvent } from './webhooks.schemas.js';

type Source<K extends WebhookEvent> = {
  /** Whose endpoints hear of it. */
  owners(payload: DomainEvents[K]): string[];
  /** What a receiver is sent as `data` (another merchant's id in a shared order is not theirs to see). */
  data(payload: DomainEvents[K]): unknown;
  /** Subscriptions that hear of it (a purge is told, as one summary, to those following deletions). */
  heardBy: WebhookEvent[];
};

const product = <K extends 'product.created' | 'product.updated' | 'product.deleted'>(event: K): Source<K> => ({
  owners: (p) => [p.merchantId],
  data: (p) => p,
  heardBy: [event],
});

const SOURCES: { [K in WebhookEvent]: Source<K> } = {
  'product.created': product('product.created'),
  'product.updated': product('product.updated'),
  'product.deleted': product('product.deleted'),
  'products.imported': { owners: (p) => [p.merchantId], data: (p) => p, heardBy: ['products.imported'] },
  'products.purged': { owners: (p) => [p.merchantId], data: (p) => p, heardBy: ['products.purged', 'product.deleted'] },
  'order.created': { owners: (p) => p.merchantIds, data: ({ order }) => ({ order }), heardBy: ['order.created'] },
  'order.status_changed': { owners: (p) => p.merchantIds, data: ({ order, from, to }) => ({ order, from, to }), heardBy: ['order.status_changed'] },
};

export interface FanOutParts {
  em: EntityManager;
  uow: UnitOfWork;
  jobs: JobQueue;
  store: DeliveryStore;
}

/**
 * Durable consumers of every event an endpoint can subscribe to: each event becomes one message per
 * subscribed, enabled endpoint of its merchant(s) and a delivery job. Idempotent by event id (an
 * outbox redelivery makes no second message; its pending attempts are queued again).
 */
export function registerFanOut(outbox: Outbox, parts: FanOutParts): void {
  for (const event of Object.keys(SOURCES) as WebhookEvent[]) {
    outbox.consume(event, 'webhooks.fan-out', (envelope) => fanOut(parts, event, envelope as EventEnvelope<typeof event>));
  }
}

async function fanOut<K extends WebhookEvent>(parts: FanOutParts, event: K, envelope: EventEnvelope<K>): Promise<void> {
  const source = SOURCES[event] as Source<K>;
  const owners = [...new Set(source.owners(envelope.payload))];
  if (owners.length === 0) return;
  const endpoints = await parts.em.execute<Array<{ id: string }>>(
    `select id from webhook_endpoints where enabled and merchant_id in (?) and events && ?::text[] order by id`,
    [owners, `{${source.heardBy.join(',')}}`],
  );
  if (endpoints.length === 0) return;
  const body = JSON.stringify({ type: event, timestamp: envelope.occurredAt, data: source.data(envelope.payload) });
  const attempts = await parts.uow.run((tx) =>
    parts.store.createMessages(
      tx,
      endpoints.map((e) => e.id),
      envelope.id,
      event,
      body,
    ),
  );
  for (const attemptId of attempts) await parts.jobs.enqueue('webhooks.deliver', { attemptId });
}
