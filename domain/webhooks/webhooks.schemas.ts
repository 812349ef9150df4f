import { text } from '../shared/text.js';
import { z } from 'zod';
import { PageQuery, pageSchema } from '../shared/pagination.js';

/** The events an endpoint may subscribe to (`ping` is sent by POST /webhooks/:id/test only). */
export const WEBHOOK_EVENTS = [
  'product.created',
  'product.updated',
  'product.deleted',
  'products.imported',
  'products.purged',
  'order.created',
  'order.status_changed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const Url = text()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }));
const Events = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1)
  .max(WEBHOOK_EVENTS.length)
  .transform((events) => [...new Set(events)]);

export const CreateWebhookInput = z
  .object({
    url: Url,
    events: Events,
    merchantId: z.uuid().optional().describe('admin only: the merchant the endpoint belongs to'),
  })
  .strict();
export type CreateWebhookInput = z.output<typeof CreateWebhookInput>;

export const UpdateWebhookInput = z
  .object({ url: Url, events: Events, enabled: z.boolean().describe('true re-enables an endpoint that was disabled') })
  .partial()
  .strict();
export type UpdateWebhookInput = z.output<typeof UpdateWebhookInput>;

export const WebhookIdParams = z.object({ id: z.uuid() }).strict();
export const DeliveryParams = z.object({ id: z.uuid(), deliveryId: z.uuid() }).strict();
export const WebhookListQuery = PageQuery.strict();
export const DeliveryListQuery = PageQuery.strict();

export const WebhookView = z.object({
  id: z.uuid(),
  merchantId: z.uuid(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type WebhookView = z.output<typeof WebhookView>;
export const WebhookCreated = WebhookView.extend({ secret: z.string().describe('whsec_… (shown once): verify signatures with it') });
export const WebhookPage = pageSchema(WebhookView);
export const SecretOutput = z.object({ secret: z.string() });

export const DeliveryView = z.object({
  id: z.uuid(),
  messageId: z.string().describe('the webhook-id header: the same on every attempt of one message'),
  event: z.string(),
  attempt: z.number().int(),
  status: z.enum(['pending', 'sending', 'succeeded', 'failed', 'skipped']),
  responseStatus: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  error: z.string().nullable(),
  at: z.iso.datetime().describe('when it was sent (or is due, while pending)'),
  nextAttemptAt: z.iso.datetime().nullable(),
});
export type DeliveryView = z.output<typeof DeliveryView>;
export const DeliveryPage = pageSchema(DeliveryView);
export const DeliveryQueued = z.object({ deliveryId: z.uuid(), messageId: z.string() });
