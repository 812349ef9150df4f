import type { Modules } from '../../../domain/modules.js';
import {
  CreateWebhookInput,
  DeliveryListQuery,
  DeliveryPage,
  DeliveryParams,
  DeliveryQueued,
  SecretOutput,
  UpdateWebhookInput,
  WebhookCreated,
  WebhookIdParams,
  WebhookListQuery,
  WebhookPage,
  WebhookView,
} from '../../../domain/webhooks/index.js';
import { Reply, type Api } from '../api.js';

const tags = ['webhooks'];
const owners = ['merchant'] as const; // admins pass every role rule
const notFound = { 404: { description: "No such endpoint (or another merchant's)" } };
const disabled = { 409: { description: 'The endpoint is disabled: enable it first (PATCH enabled: true)' } };

/** Webhook endpoints, their delivery log, replays, test pings and secret rotation. */
export function registerWebhookRoutes(api: Api, { webhooks }: Modules): void {
  const { service } = webhooks;

  api.add({
    method: 'post',
    path: '/webhooks',
    summary: 'Register an endpoint (the secret is shown once)',
    tags,
    auth: owners,
    body: CreateWebhookInput,
    responses: { 201: { description: 'The endpoint with its signing secret', schema: WebhookCreated } },
    handler: ({ user, body }) => service.create(user, body),
  });
  api.add({
    method: 'get',
    path: '/webhooks',
    summary: "The caller's endpoints (an admin's: all)",
    tags,
    auth: owners,
    query: WebhookListQuery,
    responses: { 200: { description: 'A page of endpoints', schema: WebhookPage } },
    handler: ({ user, query }) => service.list(user, query),
  });
  api.add({
    method: 'get',
    path: '/webhooks/:id',
    summary: 'One endpoint',
    tags,
    auth: owners,
    params: WebhookIdParams,
    responses: { 200: { description: 'The endpoint', schema: WebhookView }, ...notFound },
    handler: ({ user, params }) => service.get(user, params.id),
  });
  api.add({
    method: 'patch',
    path: '/webhooks/:id',
    summary: 'Change the URL or events, or enable/disable the endpoint',
    tags,
    auth: owners,
    params: WebhookIdParams,
    body: UpdateWebhookInput,
    responses: { 200: { description: 'The endpoint', schema: WebhookView }, ...notFound },
    handler: ({ user, params, body }) => service.update(user, params.id, body),
  });
  api.add({
    method: 'delete',
    path: '/webhooks/:id',
    summary: 'Delete the endpoint and its delivery log',
    tags,
    auth: owners,
    params: WebhookIdParams,
    responses: { 204: { description: 'Deleted' }, ...notFound },
    handler: async ({ user, params }) => new Reply(204, await service.remove(user, params.id)),
  });
  api.add({
    method: 'post',
    path: '/webhooks/:id/test',
    summary: 'Send a ping delivery',
    tags,
    auth: owners,
    params: WebhookIdParams,
    responses: { 202: { description: 'Queued', schema: DeliveryQueued }, ...notFound, ...disabled },
    handler: async ({ user, params }) => new Reply(202, await service.ping(user, params.id)),
  });
  api.add({
    method: 'get',
    path: '/webhooks/:id/deliveries',
    summary: 'The delivery log: every attempt, newest first',
    tags,
    auth: owners,
    params: WebhookIdParams,
    query: DeliveryListQuery,
    responses: { 200: { description: 'A page of attempts', schema: DeliveryPage }, ...notFound },
    handler: ({ user, params, query }) => service.deliveries(user, params.id, query),
  });
  api.add({
    method: 'post',
    path: '/webhooks/:id/deliveries/:deliveryId/retry',
    summary: 'Replay the message of a delivery (same webhook-id)',
    tags,
    auth: owners,
    params: DeliveryParams,
    responses: { 202: { description: 'Queued', schema: DeliveryQueued }, ...notFound, ...disabled },
    handler: async ({ user, params }) => new Reply(202, await service.retry(user, params.id, params.deliveryId)),
  });
  api.add({
    method: 'post',
    path: '/webhooks/:id/rotate-secret',
    summary: 'A new signing secret; for 24 h deliveries carry signatures with the old and the new one',
    tags,
    auth: owners,
    params: WebhookIdParams,
    responses: { 200: { description: 'The new secret (shown once)', schema: SecretOutput }, ...notFound },
    handler: ({ user, params }) => service.rotateSecret(user, params.id),
  });
}
