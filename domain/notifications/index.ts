import type { Logger } from 'pino';
import type { IdentityModule, UserDirectory } from '../identity/index.js';
import type { LocalitiesModule } from '../localities/index.js';
import type { DomainEventName } from '../shared/domain-events.js';
import type { ModuleDeps } from '../shared/module-deps.js';
import { ChannelSender } from './delivery/channel-sender.js';
import { DeliveryQueue, type DeliveryQueueOptions } from './delivery/delivery-queue.js';
import { Devices } from './devices.js';
import { Inbox } from './inbox.js';
import { NotificationCenter } from './notification-center.js';
import type { NotificationMapping } from './notification-draft.js';
import { NotificationPreferences } from './preferences.js';
import { builtInProducers } from './producers/index.js';
import { createOutboxPushProvider } from './push/outbox-push-provider.js';
import type { PushProviders } from './push/push-provider.js';
import { createWebPushProvider, webSubscriptionProblem, type VapidKeys } from './push/web-push-provider.js';
import './notifications.events.js';

export * from './notifications.schemas.js';
export { DEVICE_PLATFORMS, Device, Notification, NotificationPreference, type DevicePlatform } from './notification.entity.js';
export { producer, type NotificationDraft, type NotificationMapping, type NotificationProducer } from './notification-draft.js';
export type { PushMessage, PushProvider, PushProviders, PushResult } from './push/push-provider.js';
export type { VapidKeys } from './push/web-push-provider.js';
export type { Inbox } from './inbox.js';
export type { NotificationCenter } from './notification-center.js';
export type { NotificationPreferences } from './preferences.js';
export type { Devices } from './devices.js';
export type { DeliveryQueue } from './delivery/delivery-queue.js';

/** In-app notifications, channel preferences, devices, and delivery to e-mail, SMS and push. */
export interface NotificationsModule {
  center: NotificationCenter;
  inbox: Inbox;
  preferences: NotificationPreferences;
  devices: Devices;
  /** Sends queued e-mail/SMS/push deliveries when due (started by worker processes). */
  deliveries: DeliveryQueue;
  /**
   * Makes a domain event notify: `mapping` turns its payload into drafts; the event becomes a durable
   * outbox consumer (`notifications.<event>`). Call it while the modules are built (every process).
   */
  produce<K extends DomainEventName>(event: K, mapping: NotificationMapping<K>): void;
  /** The VAPID public key browsers subscribe with, or null when web push goes to the outbox. */
  webPushPublicKey: string | null;
}

export interface NotificationsDeps {
  identity: Pick<IdentityModule, 'sms'> & { users: Pick<UserDirectory, 'locality' | 'contacts'> };
  localities: Pick<LocalitiesModule, 'localities'>;
}

export interface NotificationsSettings {
  /** Where development push messages go (every platform without a real provider). */
  pushOutboxFile: string;
  /** Web push keys; without them browsers' pushes go to the outbox too. */
  vapid?: VapidKeys;
  /** Accept http and private-network web push endpoints (development and tests only). */
  pushAllowPrivateEndpoints?: boolean;
  /** Replaces a platform's provider (an FCM or APNs adapter, a test's recorder). */
  push?: Partial<PushProviders>;
  delivery?: DeliveryQueueOptions;
  onCreated?: (type: string, count: number) => void;
}

export function createNotificationsModule(deps: ModuleDeps, { identity, localities }: NotificationsDeps, settings: NotificationsSettings): NotificationsModule {
  const { em, clock, log, uow } = deps;
  const push = pushProviders(settings, log);
  const devices = new Devices(em, clock, push);
  const sender = new ChannelSender({ jobs: deps.jobs, sms: identity.sms, devices, push, log });
  const deliveries = new DeliveryQueue(em, clock, log, identity.users, sender, settings.delivery);
  const center = new NotificationCenter({ uow, clock, onDeliveriesDue: () => deliveries.wake(), onCreated: settings.onCreated });
  const produce = <K extends DomainEventName>(event: K, mapping: NotificationMapping<K>) =>
    deps.outbox.consume(event, `notifications.${event}`, async (envelope) => void (await center.notify(await mapping(envelope.payload, envelope))));
  for (const p of builtInProducers) produce(p.event, p.map as unknown as NotificationMapping<DomainEventName>);
  return {
    center,
    inbox: new Inbox(em, clock),
    preferences: new NotificationPreferences({ em, clock, users: identity.users, localities: localities.localities }),
    devices,
    deliveries,
    produce,
    webPushPublicKey: settings.vapid?.publicKey ?? null,
  };
}

function pushProviders(settings: NotificationsSettings, log: Logger): PushProviders {
  const outbox = (platform: string) => createOutboxPushProvider(platform, settings.pushOutboxFile, log);
  const allowPrivateEndpoints = settings.pushAllowPrivateEndpoints ?? false;
  // Web tokens are checked as subscriptions even when web pushes go to the outbox (no VAPID keys).
  const web = settings.vapid
    ? createWebPushProvider({ vapid: settings.vapid, allowPrivateEndpoints })
    : createOutboxPushProvider('web', settings.pushOutboxFile, log, (token) => webSubscriptionProblem(token, allowPrivateEndpoints));
  return { web, android: outbox('android'), ios: outbox('ios'), ...settings.push };
}
