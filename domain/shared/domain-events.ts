/**
 * The one map of domain events: name → payload. It starts empty here and each module adds its own
 * events to it (`declare module '../shared/domain-events.js'` in `<module>.events.ts`), so shared code
 * names no module and every publisher and subscriber is still type-checked against one map.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the modules through declaration merging
export interface DomainEvents {}

export type DomainEventName = keyof DomainEvents & string;

/** An event as it is stored and dispatched: consumers deduplicate by `id` (delivery is at least once). */
export interface EventEnvelope<K extends DomainEventName = DomainEventName> {
  id: string;
  name: K;
  payload: DomainEvents[K];
  occurredAt: string;
}

/** Collects an event inside a unit of work; it is published only after the commit. */
export type Emit = <K extends DomainEventName>(name: K, payload: DomainEvents[K]) => void;
