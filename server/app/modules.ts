import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createAnalyticsModule, type RetryPolicy } from '../../domain/analytics/index.js';
import { createCartModule } from '../../domain/cart/index.js';
import { createCatalogModule } from '../../domain/catalog/index.js';
import { createCommunityModule } from '../../domain/community/index.js';
import { createDiaryModule } from '../../domain/diary/index.js';
import { createIdentityModule, type SmsSender } from '../../domain/identity/index.js';
import { createImportsModule, type ImportType } from '../../domain/imports/index.js';
import { createInventoryModule } from '../../domain/inventory/index.js';
import { createLocalitiesModule } from '../../domain/localities/index.js';
import { countAnalyticsFailures } from './analytics-metrics.js';
import { createMailer, type Mailer } from '../../domain/mail/index.js';
import { createMealSetsModule, type MealSetsModule } from '../../domain/mealsets/index.js';
import type { Modules } from '../../domain/modules.js';
import { createNotificationsModule, type PushProviders } from '../../domain/notifications/index.js';
import { createOrdersModule, type OrderRules } from '../../domain/orders/index.js';
import { createRestaurantsModule } from '../../domain/restaurants/index.js';
import { createWebhooksModule, type HostLookup } from '../../domain/webhooks/index.js';
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
  /** Push providers by platform (an FCM or APNs adapter); the rest stay as configured. */
  push?: Partial<PushProviders>;
  /** How POS calls are retried (tests shorten the waits). */
  posRetry?: RetryPolicy;
  /** How webhook hosts are resolved (tests point a name at an address they choose). */
  webhookLookup?: HostLookup;
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
  const localities = createLocalitiesModule(deps);
  const cartMaxHoldSeconds = config.cartMaxHoldSeconds;
  const inventory = createInventoryModule(deps, { cartTtlSeconds, cartMaxHoldSeconds });
  const catalog = createCatalogModule(deps, { availability: (ids) => inventory.available(ids), users: identity.users });
  // Checkout judges meal-set orders through this port; the meal-sets module, built below, reads orders.
  const mealSetRules: OrderRules = { check: (candidate, tx) => mealsets.orderRules.check(candidate, tx) };
  const orders = createOrdersModule(
    deps,
    { inventory, catalog, users: identity.users, localities: localities.localities, rules: mealSetRules },
    {
      driverSpeedKmh: config.driverSpeedKmh,
      deliveryRadiusKm: config.deliveryRadiusKm,
      checkoutBatching: config.checkoutBatching,
    },
  );
  const cart = createCartModule(deps, { inventory, catalog, orders: orders.queries }, { cartTtlSeconds, cartMaxHoldSeconds });
  const diary = createDiaryModule(
    deps,
    { catalog, users: identity.users, storage: infra.storage },
    { photoUrlTtlSeconds: config.photoUrlTtlSeconds, spoolDir: join(tmpdir(), 'larder-uploads') },
  );
  const community = createCommunityModule(deps, { diary, users: identity.users }, { sharedPhotoUrlTtlSeconds: config.sharedPhotoUrlTtlSeconds });
  const restaurants = createRestaurantsModule(deps, { catalog, localities, users: identity.users });
  const mealsets: MealSetsModule = createMealSetsModule(
    deps,
    { catalog, restaurants, localities, users: identity.users, orders },
    { reminderBatchSize: config.reminderBatchSize },
  );
  const notifications = createNotificationsModule(
    deps,
    { identity, localities },
    {
      pushOutboxFile: config.pushOutboxFile,
      vapid: config.vapid,
      pushAllowPrivateEndpoints: config.pushAllowPrivateEndpoints,
      push: overrides.push,
      delivery: { observe: (channel, outcome) => metrics.notificationDeliveries.inc({ channel, outcome }) },
      onCreated: (type, count) => metrics.notificationsCreated.inc({ type }, count),
    },
  );
  const analytics = createAnalyticsModule(
    deps,
    { catalog },
    { posTokenKey: config.posTokenKey, posAllowedBaseUrls: config.posAllowedBaseUrls, posRetry: overrides.posRetry },
  );
  countAnalyticsFailures(events, metrics);
  const imports = createImportsModule(
    deps,
    { catalog, users: identity.users, storage: infra.storage, types: [analytics.transactionsImport as ImportType] },
    { maxBytes: config.importMaxBytes, batchRows: config.importBatchRows, progressIntervalMs: config.importProgressIntervalMs },
  );
  const webhooks = createWebhooksModule(deps, { users: identity.users }, { allowPrivate: config.webhookAllowPrivate, lookup: overrides.webhookLookup });
  const mail = overrides.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxFile: config.mailOutboxFile, log });
  const dispatcher = new OutboxDispatcher(em, outbox, clock, log, {
    observe: (consumer, outcome) => metrics.outboxConsumers.inc({ consumer, outcome }),
  });

  return {
    modules: {
      identity,
      localities,
      catalog,
      inventory,
      cart,
      orders,
      restaurants,
      mealsets,
      notifications,
      diary,
      community,
      analytics,
      imports,
      webhooks,
      mail,
      outbox: dispatcher,
    },
    events,
  };
}
