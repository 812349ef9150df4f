import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from './clock.js';
import type { DomainEventName, DomainEvents, Emit, EventEnvelope } from './domain-events.js';
import type { EventBus } from './event-bus.js';
import type { Outbox } from './outbox.js';
import { Sql } from './sql.js';

/**
 * The outbox insert of `events` as a CTE for the caller's statement (null when none is durable), written
 * only when the CTE named `guard` yields a row; `keep()` once the statement ran with its guard holding.
 */
export type ChainEvents = (guard: string, events: (emit: Emit) => void) => { cte: Sql | null; keep: () => void };

/**
 * One transaction and the events it causes. `work` emits events as it goes; durable ones (those with an
 * outbox consumer) are written to the outbox inside the same transaction, and after the commit every
 * event is published in-process. Nobody ever sees a change that was rolled back, and nothing a consumer
 * needs is lost if the process dies right after the commit. Not for nesting inside another transaction.
 */
export class UnitOfWork {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventBus,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  /**
   * `writeEvents` (optional) writes the durable events emitted so far to the outbox at once, so a caller
   * can send them before a statement that takes hot locks and have nothing but the commit follow it.
   * `chainEvents` (optional) hands the caller the outbox insert of some events as a CTE of one of its own
   * statements, written only when the CTE named `guard` yields a row: once that statement has run and
   * its guard held, `keep()` has them published after the commit (events never kept are dropped).
   */
  async run<T>(work: (tx: EntityManager, emit: Emit, writeEvents: () => Promise<void>, chainEvents: ChainEvents) => Promise<T>): Promise<T> {
    let toPublish: EventEnvelope[] = [];
    let durable = 0;
    const result = await this.em.transactional(async (tx) => {
      toPublish = [];
      durable = 0;
      let toWrite: EventEnvelope[] = [];
      const emit: Emit = (name, payload) => {
        const event = this.envelope(name, payload);
        toPublish.push(event);
        toWrite.push(event);
      };
      const writeEvents = async () => {
        const batch = toWrite;
        toWrite = [];
        durable += await this.outbox.write(tx, batch, this.clock.now());
      };
      const chainEvents: ChainEvents = (guard, events) => {
        const batch: EventEnvelope[] = [];
        events((name, payload) => void batch.push(this.envelope(name, payload)));
        const insert = this.outbox.insertWhen(batch, this.clock.now(), guard);
        return {
          cte: insert && new Sql(insert.sql, insert.params),
          keep: () => {
            toPublish.push(...batch);
            durable += batch.filter((e) => this.outbox.isDurable(e.name)).length;
          },
        };
      };
      const value = await work(tx, emit, writeEvents, chainEvents);
      await writeEvents();
      return value;
    });
    await this.publish(toPublish);
    if (durable) this.outbox.committed();
    return result;
  }

  /**
   * One autocommit statement and the events it causes, for a change under a hot row lock: the lock is
   * held for the statement alone, with no BEGIN/COMMIT round trips (which a loaded process answers
   * late). `ctes` is the statement's `with` list; the durable events are chained after it and written
   * only when the CTE named `guard` yields a row; `select` is the final query and should read `guard`.
   * The events are published after the statement when it answered rows.
   */
  async statement<R>(q: { ctes: string; params: unknown[]; guard: string; select: string }, events: (emit: Emit) => void): Promise<R[]> {
    const pending: EventEnvelope[] = [];
    events((name, payload) => void pending.push(this.envelope(name, payload)));
    const queued = this.outbox.insertWhen(pending, this.clock.now(), q.guard);
    const rows = await this.em.execute<R[]>(`with ${q.ctes}${queued ? `, queued as (${queued.sql})` : ''} ${q.select}`, [
      ...q.params,
      ...(queued?.params ?? []),
    ]);
    if (rows.length === 0) return rows;
    await this.publish(pending);
    if (queued) this.outbox.committed();
    return rows;
  }

  private envelope<K extends DomainEventName>(name: K, payload: DomainEvents[K]): EventEnvelope {
    return { id: randomUUID(), name, payload, occurredAt: this.clock.now().toISOString() } as EventEnvelope;
  }

  private async publish(events: EventEnvelope[]): Promise<void> {
    for (const e of events) await this.events.publish(e.name, e.payload as never);
  }
}
