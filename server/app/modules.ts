import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createCartModule } from '../../domain/cart/index.js';
import { createCatalogModule } from '../../domain/catalog/index.js';
import { createIdentityModule, type SmsSender } from '../../domain/identity/index.js';
import { createInventoryModule } from '../../domain/inventory/index.js';
import { createMailer, type Mailer } from '../../domain/mail/index.js';
import type { Modules } from '../../domain/modules.js';
import { createOrdersModule } from '../../domain/orders/index.js';
import type { Clock } from '../../domain/shared/clock.js';
import { EventBus } from '../../domain/shared/event-bus.js';
import type { JobQueue } from '../../domain/shared/job-queue.js';
import type { ObjectStorage } from '../../domain/shared/object-storage.js';
import type { ModuleDeps } from '../../domain/shared/module-deps.js';
import { Outbox } from '../../domain/shared/outbox.js';
import { OutboxDispatcher } from '../../domain/shared/outbox-dispatcher.js';
import { UnitOfWork } from '../../domain/shared/unit-of-work.js';
import type { Config } from '../platform/config.js';
import type { Metrics } from '../platform/metrics.js';

/** Outbound channels that tests and operators may replace. */
export interface ModuleOverrides {
  mailer?: Mailer;
  sms?: SmsSender;
}

export interface Infrastructure {
  config: Config;
  log: Logger;
  orm: MikroORM;
  redis: Redis;
  clock: Clock;
  jobs: JobQueue;
  metrics: Metrics;
  storage: ObjectStorage;
}

/**
 * Builds every domain module once per process, one line per module, wiring each to the narrow
 * interfaces of the modules it uses. Returns the in-process event bus too: the adapters subscribe to it.
 */
export function createModules(infra: Infrastructure, overrides: ModuleOverrides = {}): { modules: Modules; events: EventBus } {
  const { config, log, redis, clock, jobs, metrics } = infra;
  const em = infra.orm.em as EntityManager;
  const events = new EventBus(log);
  const outbox = new Outbox();
  const deps: ModuleDeps = { em, redis, events, outbox, uow: new UnitOfWork(em, events, outbox, clock), clock, log, jobs };
  const cartTtlSeconds = config.cartTtlSeconds;

  const identity = createIdentityModule(deps, {
    jwtSecret: config.jwtSecret,
    argon2Concurrency: config.argon2Concurrency,
    authIpLimitPer5Min: config.authIpLimitPer5Min,
    otpPhoneDailyLimit: config.otpPhoneDailyLimit,
    otpIpDailyLimit: config.otpIpDailyLimit,
    smsOutboxFile: config.smsOutboxFile,
    publicUrl: config.publicUrl,
    admin: config.admin,
    sms: overrides.sms,
  });
  const cartMaxHoldSeconds = config.cartMaxHoldSeconds;
  const inventory = createInventoryModule(deps, { cartTtlSeconds, cartMaxHoldSeconds });
  const catalog = createCatalogModule(deps, { availability: (ids) => inventory.available(ids), users: identity.users });
  const orders = createOrdersModule(
    deps,
    { inventory, catalog, users: identity.users },
    {
      driverSpeedKmh: config.driverSpeedKmh,
      deliveryRadiusKm: config.deliveryRadiusKm,
    },
  );
  const cart = createCartModule(deps, { inventory, catalog, orders: orders.queries }, { cartTtlSeconds, cartMaxHoldSeconds });
  const mail = overrides.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxFile: config.mailOutboxFile, log });
  const dispatcher = new OutboxDispatcher(em, outbox, clock, log, {
    observe: (consumer, outcome) => metrics.outboxConsumers.inc({ consumer, outcome }),
  });

  return { modules: { identity, catalog, inventory, cart, orders, mail, outbox: dispatcher }, events };
}
