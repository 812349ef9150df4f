import type { UserDirectory } from '../identity/index.js';
import type { ModuleDeps } from '../shared/module-deps.js';
import { systemLookup, type HostLookup } from './address-guard.js';
import { Deliverer } from './deliverer.js';
import { DeliveryStore } from './delivery-store.js';
import { registerFanOut } from './fan-out.js';
import { WebhooksService } from './webhooks.service.js';
import './webhooks.events.js';
import './webhooks.jobs.js';

export * from './webhooks.schemas.js';
export { WebhookEndpoint } from './webhook-endpoint.entity.js';
export { RETRY_DELAYS_MS, MAX_ATTEMPTS } from './retry-schedule.js';
export type { HostLookup } from './address-guard.js';
export type { Deliverer } from './deliverer.js';
export type { WebhooksService } from './webhooks.service.js';

/** A sweep queues attempts overdue by this much (their job was lost). */
const OVERDUE_MS = 60_000;

export interface WebhooksModule {
  service: WebhooksService;
  deliverer: Deliverer;
  /** Queues attempts whose job was lost; answers how many. */
  sweep(): Promise<number>;
}

export interface WebhooksDeps {
  users: Pick<UserDirectory, 'isMerchant'>;
}

export interface WebhooksSettings {
  /** WEBHOOK_ALLOW_PRIVATE: http and loopback/private targets allowed (development, tests). */
  allowPrivate: boolean;
  /** How host names are resolved at delivery time (the system resolver unless replaced). */
  lookup?: HostLookup;
}

/**
 * Signed, retried webhooks fed by the outbox: every event an endpoint can subscribe to has a durable
 * consumer here, so a webhook is never lost to a crash between the change and its delivery.
 */
export function createWebhooksModule(deps: ModuleDeps, { users }: WebhooksDeps, settings: WebhooksSettings): WebhooksModule {
  const { em, uow, jobs, clock, log } = deps;
  const store = new DeliveryStore(em, clock);
  registerFanOut(deps.outbox, { em, uow, jobs, store });
  const deliverer = new Deliverer({ store, uow, jobs, clock, log, allowPrivate: settings.allowPrivate, lookup: settings.lookup ?? systemLookup });
  return {
    service: new WebhooksService({ em, uow, jobs, clock, store, users, allowPrivate: settings.allowPrivate }),
    deliverer,
    async sweep() {
      const overdue = await store.overdue(new Date(clock.now().getTime() - OVERDUE_MS));
      for (const attemptId of overdue) await jobs.enqueue('webhooks.deliver', { attemptId });
      return overdue.length;
    },
  };
}
