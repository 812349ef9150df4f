import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-env.js';
import { httpClient } from './http.js';
import type { TestUser } from './users.js';

export interface TestProduct {
  id: string;
  sku: string;
  priceCents: number;
  stock: number;
  merchantId: string;
}

/** Creates a product through the public API as the given merchant (so catalog events fire as in production). */
export async function createProduct(app: TestApp, merchant: TestUser, fields: Record<string, unknown> = {}): Promise<TestProduct> {
  const body = { sku: `SKU-${randomUUID().slice(0, 8)}`, name: 'Test oat milk 1 L', priceCents: 250, currency: 'EUR', stock: 10, kind: 'grocery', ...fields };
  const res = await httpClient(app.url).post('/api/v1/products', body, merchant.token);
  if (res.status !== 201) throw new Error(`createProduct failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
