import type { DevicePlatform } from '../notification.entity.js';

/** What a phone or browser shows (and hands the app as data). */
export interface PushMessage {
  title: string;
  body: string;
  data: Record<string, unknown>;
}

/** `gone`: the push service says the token is dead (app uninstalled, subscription expired); the device is forgotten. */
export type PushResult = 'sent' | 'gone';

/**
 * Delivers push messages of one platform. Any other failure throws (the delivery is retried).
 * Implementations: web-push (browsers, VAPID), an outbox file for development; FCM (Android) and APNs
 * (iOS) plug in here (see README, "Push to phones").
 */
export interface PushProvider {
  readonly name: string;
  send(token: string, message: PushMessage): Promise<PushResult>;
  /** Why a token cannot be used (checked at registration), or null when it can. */
  invalidToken(token: string): string | null;
}

/** The provider of each platform. */
export type PushProviders = Record<DevicePlatform, PushProvider>;
