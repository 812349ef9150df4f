import type { Logger } from 'pino';
import type { DomainEventName, DomainEvents } from './domain-events.js';

type Handler<K extends DomainEventName> = (payload: DomainEvents[K]) => unknown | Promise<unknown>;
export type Emit = <K extends DomainEventName>(name: K, payload: DomainEvents[K]) => void;

/**
 * In-process publish/subscribe between modules. Cross-instance delivery is the subscribers' job
 * (the Socket.IO Redis adapter, jobs in the shared store), so this stays a plain map of handlers.
 */
export class EventBus {
  private readonly handlers = new Map<DomainEventName, Set<Handler<any>>>();

  constructor(private readonly log: Logger) {}

  subscribe<K extends DomainEventName>(name: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Runs every handler; a failing subscriber is logged and never fails the publisher. */
  async publish<K extends DomainEventName>(name: K, payload: DomainEvents[K]): Promise<void> {
    const handlers = [...(this.handlers.get(name) ?? [])];
    const results = await Promise.allSettled(handlers.map(async (h) => h(payload)));
    for (const r of results) {
      if (r.status === 'rejected') this.log.error({ err: r.reason, event: name }, 'event subscriber failed');
    }
  }

  /**
   * Runs `work` with an `emit` that only collects; the events are published after `work` resolves
   * (i.e. after its transaction committed), so nobody ever sees a change that was rolled back.
   */
  async afterCommit<T>(work: (emit: Emit) => Promise<T>): Promise<T> {
    const pending: Array<[DomainEventName, unknown]> = [];
    const result = await work((name, payload) => void pending.push([name, payload]));
    for (const [name, payload] of pending) await this.publish(name, payload as never);
    return result;
  }
}
