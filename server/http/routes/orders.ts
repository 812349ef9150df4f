import { z } from 'zod';
import { AppError } from '../../../domain/shared/app-error.js';
import { PageQuery, pageSchema } from '../../../domain/shared/pagination.js';
import type { Modules } from '../../../domain/modules.js';
import { IdempotencyKeyValue, OrderIdParams, OrderStatusInput, OrderView, PlaceOrderInput } from '../../../domain/orders/index.js';
import { Reply, type Api } from '../api.js';

const tags = ['orders'];

/** The Idempotency-Key header: required, and validated like a body field so the problem names it. */
function idempotencyKey(header: string | undefined): string {
  if (header === undefined || header === '') {
    throw AppError.validation([{ path: 'Idempotency-Key', message: 'The Idempotency-Key header is required' }]);
  }
  const parsed = IdempotencyKeyValue.safeParse(header);
  if (!parsed.success) throw AppError.validation([{ path: 'Idempotency-Key', message: parsed.error.issues[0].message }]);
  return parsed.data;
}

/** Checkout, history and status moves. */
export function registerOrderRoutes(api: Api, { orders }: Modules): void {
  const { checkout, queries, status } = orders;

  api.add({
    method: 'post',
    path: '/orders',
    summary: 'Place an order from the cart or explicit lines (header Idempotency-Key required)',
    tags,
    auth: ['customer'],
    body: PlaceOrderInput,
    responses: {
      201: { description: 'The order (a replay answers the first status and body, with Idempotent-Replayed: true)', schema: OrderView },
      403: { description: 'Only customers place orders' },
      409: { description: 'OUT_OF_STOCK listing every short line, or PRICE_CHANGED (expectedTotalCents differs) with the current lines; nothing was written' },
      422: { description: 'Validation, missing Idempotency-Key, or IDEMPOTENCY_MISMATCH' },
    },
    handler: async ({ user, body, ctx }) => {
      const key = idempotencyKey(ctx.get('idempotency-key') || undefined);
      const placed = await checkout.place(user, body, key);
      return new Reply(201, placed.order, placed.replayed ? { 'Idempotent-Replayed': 'true' } : {});
    },
  });
  api.add({
    method: 'get',
    path: '/orders',
    summary: 'Order history, newest first (customer: own; merchant: with own products; driver: assigned)',
    tags,
    auth: 'user',
    query: PageQuery,
    responses: { 200: { description: 'A page of orders', schema: pageSchema(OrderView) } },
    handler: ({ user, query }) => queries.list(user, query),
  });
  api.add({
    method: 'get',
    path: '/orders/:id',
    summary: 'One order (its customer, merchants, driver, or an admin)',
    tags,
    auth: 'user',
    params: OrderIdParams,
    responses: { 200: { description: 'The order', schema: OrderView }, 404: { description: 'No such order visible to the caller' } },
    handler: ({ user, params }) => queries.view(user, params.id),
  });
  api.add({
    method: 'post',
    path: '/orders/:id/cancel',
    summary: 'Cancel the order and return its stock',
    tags,
    auth: 'user',
    params: OrderIdParams,
    body: z.object({}).strict(),
    responses: {
      200: { description: 'The cancelled order', schema: OrderView },
      403: { description: 'The caller may not cancel it now' },
      409: { description: 'INVALID_TRANSITION' },
    },
    handler: ({ user, params }) => status.change(user, params.id, 'cancelled'),
  });
  api.add({
    method: 'post',
    path: '/orders/:id/status',
    summary: 'Move the order to another status',
    tags,
    auth: 'user',
    params: OrderIdParams,
    body: OrderStatusInput,
    responses: {
      200: { description: 'The order', schema: OrderView },
      403: { description: 'The move is legal but not for this caller' },
      409: { description: 'INVALID_TRANSITION' },
    },
    handler: ({ user, params, body }) => status.change(user, params.id, body.status),
  });
}
