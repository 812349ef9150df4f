import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../../domain/shared/clock.js';
import type { EventBus } from '../../domain/shared/event-bus.js';
import { createScheduler, type Scheduler } from '../../jobs/scheduler.js';
import type { AppContext } from '../platform/app-context.js';
import type { Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { Metrics } from '../platform/metrics.js';
import { initOrm } from '../platform/orm.js';
import { createRedis } from '../platform/redis.js';
import { createObjectStorage } from '../platform/storage/index.js';
import { createModules, type ModuleOverrides } from './modules.js';

/** One process's infrastructure and modules, built once with plain factories. */
export interface Container extends AppContext {
  redis: Redis;
  /** In-process domain events after commit: the realtime adapter turns them into pushes. */
  events: EventBus;
  scheduler: Scheduler;
  /** Closes what the container opened (ORM pool, Redis, scheduler store, mail transport). */
  close(): Promise<void>;
}

export interface ContainerOptions extends ModuleOverrides {
  clock?: Clock;
  log?: Logger;
}

export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const orm = await initOrm(config, log);
  const redis = createRedis(config.redisUrl, config.redisPrefix, `larder-${config.role}`);
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis error'));
  await redis.connect();
  const scheduler = createScheduler(config, log);
  const metrics = new Metrics(config.env !== 'test');
  const storage = createObjectStorage(config);
  const { modules, events } = createModules({ config, log, orm, redis, clock, jobs: scheduler, metrics, storage }, options);
  return {
    config,
    log,
    orm,
    clock,
    metrics,
    modules,
    storage,
    redis,
    events,
    scheduler,
    async close() {
      await scheduler.close().catch((err) => log.warn({ err }, 'closing scheduler failed'));
      modules.mail.close();
      storage.close();
      redis.disconnect();
      await orm.close();
    },
  };
}
