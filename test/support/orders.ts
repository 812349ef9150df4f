import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-env.js';
import { httpClient, type HttpResponse } from './http.js';
import type { TestUser } from './users.js';

/** POST /api/v1/orders with a fresh (or given) Idempotency-Key. */
export function placeOrder(app: TestApp, customer: TestUser, body: unknown, key: string = randomUUID()): Promise<HttpResponse> {
  return httpClient(app.url).post('/api/v1/orders', body, customer.token, { 'idempotency-key': key });
}

/** Current stock per product, read from PostgreSQL (the record), not the mirror. */
export async function stockOf(app: TestApp, ...productIds: string[]): Promise<number[]> {
  const rows = await app.container.orm.em.fork().execute<Array<{ id: string; stock: number }>>(`select id, stock from products where id in (?)`, [productIds]);
  const byId = new Map(rows.map((r) => [r.id, r.stock]));
  return productIds.map((id) => byId.get(id) ?? NaN);
}

export async function countRows(app: TestApp, table: 'orders' | 'order_items' | 'idempotency_keys' | 'order_status_changes'): Promise<number> {
  const [row] = await app.container.orm.em.fork().execute<Array<{ n: string }>>(`select count(*) as n from ${table}`);
  return Number(row.n);
}

/** Moves an order through statuses as the given actor, asserting each step succeeds. */
export async function advance(app: TestApp, orderId: string, steps: Array<[TestUser, string]>): Promise<HttpResponse> {
  let last: HttpResponse | undefined;
  for (const [actor, status] of steps) {
    last = await httpClient(app.url).post(`/api/v1/orders/${orderId}/status`, { status }, actor.token);
    if (last.status !== 200) throw new Error(`${actor.role} → ${status}: ${last.status} ${JSON.stringify(last.body)}`);
  }
  return last!;
}
