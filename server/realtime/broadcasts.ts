import type { EventBus } from '../../domain/shared/event-bus.js';
import type { RoomEmitter } from './room-emitter.js';

/**
 * Domain events → room emits, one line per module. Runs in every process (server and worker); the
 * emitter delivers across instances, so each event is pushed once by the process that published it.
 */
export function subscribeBroadcasts(_events: EventBus, _emitter: RoomEmitter): Array<() => void> {
  return [];
}
