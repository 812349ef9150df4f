import { BlockList, isIP } from 'node:net';
import webpush from 'web-push';
import { z } from 'zod';
import type { PushProvider } from './push-provider.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** `mailto:` or `https:` contact the push services may use. */
  subject: string;
}

export interface WebPushOptions {
  vapid: VapidKeys;
  /** Allow http and loopback/private endpoints (development and tests only: endpoints come from clients). */
  allowPrivateEndpoints: boolean;
  timeoutMs?: number;
}

const Base64Url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/);
/** A browser's PushSubscription, as `JSON.stringify(subscription)` gives it. */
const Subscription = z.object({
  endpoint: z.url().max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: Base64Url.min(80).max(100), auth: Base64Url.min(16).max(32) }),
});

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv6');
}

/**
 * Web push (RFC 8030 with VAPID, RFC 8292): the `web-push` package encrypts the payload and signs the
 * VAPID header; the request is sent with fetch under a timeout. The endpoint is client-supplied, so
 * it must be https and not a loopback or private address literal unless explicitly allowed.
 */
export function createWebPushProvider(options: WebPushOptions): PushProvider {
  const { vapid, allowPrivateEndpoints } = options;
  const invalidToken = (token: string) => webSubscriptionProblem(token, allowPrivateEndpoints);
  return {
    name: 'web-push',
    invalidToken,
    async send(token, message) {
      const problem = invalidToken(token);
      if (problem) return 'gone'; // a token refused now (rules tightened since it was stored) is as good as dead
      const subscription = Subscription.parse(JSON.parse(token));
      const request = webpush.generateRequestDetails(subscription, JSON.stringify(message), {
        vapidDetails: vapid,
        TTL: 24 * 3600,
        contentEncoding: 'aes128gcm',
      });
      const res = await fetch(request.endpoint, {
        method: 'POST',
        headers: request.headers as Record<string, string>,
        body: request.body,
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await res.body?.cancel();
      if (res.status === 404 || res.status === 410) return 'gone';
      if (!res.ok) throw new Error(`push service answered ${res.status}`);
      return 'sent';
    },
  };
}

/** Why a web token is not a usable PushSubscription (also checked when web pushes go to the outbox), or null. */
export function webSubscriptionProblem(token: string, allowPrivateEndpoints: boolean): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(token);
  } catch {
    return 'must be the PushSubscription as JSON';
  }
  const subscription = Subscription.safeParse(parsed);
  if (!subscription.success) return 'must be a PushSubscription {endpoint, keys: {p256dh, auth}}';
  return allowPrivateEndpoints ? null : endpointProblem(new URL(subscription.data.endpoint));
}

function endpointProblem(url: URL): string | null {
  if (url.protocol !== 'https:') return 'the endpoint must be https';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'the endpoint must be a public push service';
  const family = isIP(host);
  if (family && PRIVATE.check(host, family === 6 ? 'ipv6' : 'ipv4')) return 'the endpoint must be a public push service';
  return null;
}
