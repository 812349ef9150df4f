import { useShop } from '../support/shop.js';
import { createUser } from '../support/users.js';
import { createProduct } from '../support/products.js';
import { countRows, placeOrder, stockOf } from '../support/orders.js';

describe('checkout under concurrency', () => {
  const shop = useShop();

  test('When 50 customers race for 20 units plus 1 of another product each, then exactly 20 orders exist and failures changed nothing', async () => {
    const scarce = await createProduct(shop.app, shop.merchant, { stock: 20, priceCents: 500 });
    const plenty = await createProduct(shop.app, shop.merchant, { stock: 100, priceCents: 120 });
    const customers = await Promise.all(Array.from({ length: 50 }, () => createUser(shop.app)));
    const ordersBefore = await countRows(shop.app, 'orders');

    const results = await Promise.all(
      customers.map((c) =>
        placeOrder(shop.app, c, {
          items: [
            { productId: scarce.id, quantity: 1 },
            { productId: plenty.id, quantity: 1 },
          ],
        }),
      ),
    );

    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(created).toHaveLength(20);
    expect(refused).toHaveLength(30);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ code: 'OUT_OF_STOCK', items: [{ productId: scarce.id, requested: 1, available: 0 }] });
    }
    for (const r of created) expect(r.body).toMatchObject({ status: 'placed', totalCents: 620, currency: 'EUR' });
    expect(await stockOf(shop.app, scarce.id, plenty.id)).toEqual([0, 80]);
    expect((await countRows(shop.app, 'orders')) - ordersBefore).toBe(20);
  });

  test('When 64 checkouts of mixed quantities race, then units sold equal the stock decrease and stock never goes negative', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 70 });
    const customers = await Promise.all(Array.from({ length: 64 }, () => createUser(shop.app)));
    const results = await Promise.all(customers.map((c, i) => placeOrder(shop.app, c, { items: [{ productId: product.id, quantity: (i % 3) + 1 }] })));

    const sold = results.filter((r) => r.status === 201).reduce((sum, r) => sum + r.body.items[0].quantity, 0);
    for (const r of results) expect([201, 409]).toContain(r.status);
    const [stock] = await stockOf(shop.app, product.id);
    expect(stock).toBeGreaterThanOrEqual(0);
    expect(70 - stock).toBe(sold);
    const [row] = await shop.app.container.orm.em
      .fork()
      .execute<Array<{ n: string }>>(`select coalesce(sum(quantity), 0) as n from order_items where product_id = ?`, [product.id]);
    expect(Number(row.n)).toBe(sold);
  });

  test('When the same Idempotency-Key is sent 10 times at once, then one order is made and every answer is the same', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 50 });
    const customer = await createUser(shop.app);
    const body = { items: [{ productId: product.id, quantity: 2 }] };
    const results = await Promise.all(Array.from({ length: 10 }, () => placeOrder(shop.app, customer, body, 'double-click-1')));

    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(await stockOf(shop.app, product.id)).toEqual([48]);
  });
});
