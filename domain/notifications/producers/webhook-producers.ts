import { producer } from '../notification-draft.js';

/** A webhook endpoint disabled after its deliveries kept failing (or a 410), to the merchant who owns it. */
export const webhookEndpointDisabled = producer('webhook.endpoint_disabled', ({ endpointId, merchantId, url, reason }, event) => [
  {
    userId: merchantId,
    type: 'webhook.endpoint_disabled',
    subject: `${endpointId}:${event.id}`,
    title: 'A webhook endpoint was disabled',
    body: `Deliveries to ${url} stopped: ${reason}. Fix the receiver and enable the endpoint again.`.slice(0, 280),
    data: { endpointId, url, reason },
  },
]);
