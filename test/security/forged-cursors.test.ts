import { randomUUID } from 'node:crypto';
import { placeOrder } from '../support/orders.js';
import { createProduct } from '../support/products.js';
import { useShop } from '../support/shop.js';
import { createUser } from '../support/users.js';

/** A cursor as a client could forge one: base64url JSON of any values. */
const forge = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

describe('forged pagination cursors', () => {
  const shop = useShop();

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) await createProduct(shop.app, shop.merchant, { name: `Cursor milk ${i}`, priceCents: 100 + i });
  });

  test.each([
    ['an impossible timestamp (month 13, hour 99)', 'sort=newest', ['2024-13-45T99:99:99', randomUUID()]],
    ['31 February', 'sort=newest', ['2025-02-31 10:00:00+00', randomUUID()]],
    ['a price beyond a PostgreSQL integer', 'sort=price', ['9999999999', randomUUID()]],
    ['a search score that overflows a double', 'q=cursor%20milk', ['1e999', randomUUID()]],
    ['a search score that underflows a double', 'q=cursor%20milk', ['1e-999', randomUUID()]],
    ['a name with a NUL', 'sort=name', ['milk\u0000', randomUUID()]],
    ['a timestamp where an id belongs', 'sort=newest', ['2025-01-01 10:00:00+00', '2025-01-01']],
  ])('When a product listing gets a cursor with %s, then 422 names cursor (never a 500 from a cast)', async (_what, query, values) => {
    const res = await shop.http.get(`/api/v1/products?${query}&cursor=${forge(values)}`);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
  });

  test('When the order history gets a cursor ["1", uuid], then 422 names cursor; a real cursor still pages', async () => {
    const customer = await createUser(shop.app);
    const product = await createProduct(shop.app, shop.merchant, { stock: 10 });
    for (let i = 0; i < 3; i++) expect((await placeOrder(shop.app, customer, { items: [{ productId: product.id, quantity: 1 }] })).status).toBe(201);
    for (const values of [
      ['1', randomUUID()],
      ['2024-13-45T99:99:99.000Z', randomUUID()],
      [20240101, randomUUID()],
    ]) {
      const res = await shop.http.get(`/api/v1/orders?cursor=${forge(values)}`, customer.token);
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
    }
    const first = await shop.http.get('/api/v1/orders?limit=2', customer.token);
    const second = await shop.http.get(`/api/v1/orders?limit=2&cursor=${first.body.nextCursor}`, customer.token);
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(1);
  });

  test('When real cursors of every product sort are followed, then they are accepted', async () => {
    for (const query of ['sort=newest', 'sort=name', 'sort=price', 'sort=-price', 'q=cursor%20milk']) {
      const first = await shop.http.get(`/api/v1/products?merchantId=${shop.merchant.id}&limit=1&${query}`);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      expect((await shop.http.get(`/api/v1/products?merchantId=${shop.merchant.id}&limit=1&${query}&cursor=${first.body.nextCursor}`)).status).toBe(200);
    }
  });
});
