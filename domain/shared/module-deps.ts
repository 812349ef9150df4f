import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { EventBus } from './event-bus.js';
import type { JobQueue } from './job-queue.js';
import type { Outbox } from './outbox.js';
import type { UnitOfWork } from './unit-of-work.js';

/**
 * What every domain module may be given by the composition root. `em` resolves to the current unit of
 * work (the request's, the socket event's or the job's context). Modules take their settings as plain
 * options next to these, never the process configuration.
 */
export interface ModuleDeps {
  em: EntityManager;
  redis: Redis;
  events: EventBus;
  outbox: Outbox;
  uow: UnitOfWork;
  clock: Clock;
  log: Logger;
  jobs: JobQueue;
}
