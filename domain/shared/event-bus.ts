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

  /**
   * Runs every handler concurrently; a failing subscriber is logged and never fails the publisher.
   * Handlers that answer synchronously (most: an emit, a cache drop) cost no promise of their own.
   */
  async publish<K extends DomainEventName>(name: K, payload: DomainEvents[K]): Promise<void> {
    const set = this.handlers.get(name);
    if (!set || set.size === 0) return;
    const failed = (err: unknown) => this.log.error({ err, event: name }, 'event subscriber failed');
    const pending: Array<Promise<unknown>> = [];
    for (const h of [...set] as Handler<K>[]) {
      try {
        const result = h(payload) as PromiseLike<unknown> | undefined;
        if (typeof result?.then === 'function') pending.push(Promise.resolve(result).catch(failed));
      } catch (err) {
        failed(err);
      }
    }
    if (pending.length) await Promise.all(pending);
  }
}
