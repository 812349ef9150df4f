import type { EntityManager } from '@mikro-orm/postgresql';
import type { DomainEventName, EventEnvelope } from './domain-events.js';

/** A durable consumer of one event: at least once, so it must be idempotent by `event.id`. */
export type OutboxHandler<K extends DomainEventName> = (event: EventEnvelope<K>) => Promise<void>;

interface Consumer {
  name: string;
  handle: OutboxHandler<never>;
}

/**
 * The transactional outbox: events that a consumer must not miss (webhooks, notifications, driver
 * assignment, analytics) are written to the `outbox` table in the transaction that made the change,
 * and a worker dispatches them (outbox-dispatcher.ts). An event is durable exactly when a consumer is
 * registered for it; every process builds the same modules, so every process agrees on which.
 */
export class Outbox {
  private readonly consumers = new Map<DomainEventName, Consumer[]>();
  private readonly listeners = new Set<() => void>();

  /** Registers a durable consumer of `event` under a name that shows in logs and metrics. */
  consume<K extends DomainEventName>(event: K, consumer: string, handle: OutboxHandler<K>): void {
    const list = this.consumers.get(event) ?? [];
    if (list.some((c) => c.name === consumer)) throw new Error(`Outbox consumer ${consumer} registered twice for ${event}`);
    list.push({ name: consumer, handle: handle as OutboxHandler<never> });
    this.consumers.set(event, list);
  }

  /** The events this process has consumers for: a worker claims only these (another version may know more). */
  durableEvents(): string[] {
    return [...this.consumers.keys()];
  }

  isDurable(name: DomainEventName): boolean {
    return this.consumers.has(name);
  }

  consumersOf(name: string): readonly Consumer[] {
    return this.consumers.get(name as DomainEventName) ?? [];
  }

  /** Inserts the durable ones of `events` in the caller's transaction; returns how many. */
  async write(tx: EntityManager, events: readonly EventEnvelope[], availableAt: Date): Promise<number> {
    const durable = events.filter((e) => this.isDurable(e.name));
    if (durable.length === 0) return 0;
    await tx.execute(
      `insert into outbox (id, name, payload, occurred_at, available_at) values ${durable.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      durable.flatMap((e) => [e.id, e.name, JSON.stringify(e.payload), e.occurredAt, availableAt]),
    );
    return durable.length;
  }

  /**
   * The insert of the durable ones of `events` as a statement to chain into another one (a CTE): it
   * writes them only when the CTE named `guard` yields a row. Null when none is durable.
   */
  insertWhen(events: readonly EventEnvelope[], availableAt: Date, guard: string): { sql: string; params: unknown[] } | null {
    const durable = events.filter((e) => this.isDurable(e.name));
    if (durable.length === 0) return null;
    return {
      sql: `insert into outbox (id, name, payload, occurred_at, available_at)
        select v.id::uuid, v.name, v.payload::jsonb, v.occurred_at::timestamptz, v.available_at::timestamptz
        from (values ${durable.map(() => '(?, ?, ?, ?, ?)').join(', ')}) as v(id, name, payload, occurred_at, available_at)
        where exists (select 1 from ${guard})`,
      params: durable.flatMap((e) => [e.id, e.name, JSON.stringify(e.payload), e.occurredAt, availableAt]),
    };
  }

  /** Called after a commit that wrote durable events: a dispatcher in this process starts at once. */
  committed(): void {
    for (const listener of this.listeners) listener();
  }

  onCommitted(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
