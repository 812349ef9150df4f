import type { Logger } from 'pino';
import type { DomainEventName, DomainEvents } from './domain-events.js';

type Handler<K extends DomainEventName> = (payload: DomainEvents[K]) => unknown;

/**
 * In-process publish/subscribe, after commit, in the process that made the change: cache drops, the
 * stock mirror, realtime pushes. Subscribers must be quick (a Redis call, an emit); anything slow or
 * that must not be lost is an outbox consumer instead (outbox.ts), run by a worker.
 */
export class EventBus {
  private readonly handlers = new Map<DomainEventName, Set<Handler<never>>>();

  constructor(private readonly log: Logger) {}

  subscribe<K extends DomainEventName>(name: K, handler: Handler<K>): () => void {
    const set = this.handlers.get(name) ?? new Set();
    this.handlers.set(name, set);
    set.add(handler as Handler<never>);
    return () => set.delete(handler as Handler<never>);
  }

  /** Runs every handler concurrently; a failing subscriber is logged and never fails the publisher. */
  async publish<K extends DomainEventName>(name: K, payload: DomainEvents[K]): Promise<void> {
    const handlers = [...(this.handlers.get(name) ?? [])] as Handler<K>[];
    if (handlers.length === 0) return;
    const results = await Promise.allSettled(handlers.map(async (h) => h(payload)));
    for (const r of results) {
      if (r.status === 'rejected') this.log.error({ err: r.reason, event: name }, 'event subscriber failed');
    }
  }
}
