import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { EventBus } from '../domain/shared/event-bus.js';
import { systemClock, type Clock } from '../domain/shared/clock.js';
import { AccessTokens } from '../domain/identity/access-token.js';
import { createScheduler, type Scheduler } from '../jobs/scheduler.js';
import type { Config } from './config.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { initOrm } from './orm.js';
import { createRedis } from './redis.js';
import { createServices, type ServiceOverrides, type Services } from './services.js';

/** What every domain service may depend on. The EntityManager resolves to the current unit of work. */
export interface Deps {
  config: Config;
  log: Logger;
  orm: MikroORM;
  em: EntityManager;
  redis: Redis;
  events: EventBus;
  clock: Clock;
  jobs: Scheduler;
  tokens: AccessTokens;
}

export interface Container {
  deps: Deps;
  services: Services;
  metrics: Metrics;
  /** Closes what the container opened (ORM pool, Redis, scheduler store, mail transport). */
  close(): Promise<void>;
}

export interface ContainerOptions extends ServiceOverrides {
  clock?: Clock;
  log?: Logger;
}

/** Builds the process's infrastructure and services once, with plain factories. */
export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const orm = await initOrm(config, log);
  const redis = createRedis(config.redisUrl, config.redisPrefix, `larder-${config.role}`);
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis error'));
  await redis.connect();
  const jobs = createScheduler(config, log);
  const deps: Deps = {
    config, log, orm, em: orm.em as EntityManager, redis, clock, jobs,
    events: new EventBus(log),
    tokens: new AccessTokens(config.jwtSecret, clock),
  };
  const services = createServices(deps, options);
  const metrics = new Metrics(config.env !== 'test');
  return {
    deps,
    services,
    metrics,
    async close() {
      await jobs.close().catch((err) => log.warn({ err }, 'closing scheduler failed'));
      services.mailer.close();
      redis.disconnect();
      await orm.close();
    },
  };
}
