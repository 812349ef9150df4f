import { useShop } from '../support/shop.js';
import { createUser, type TestUser } from '../support/users.js';
import { createProduct } from '../support/products.js';
import { eventually } from '../identity/support.js';
import { countRows, placeOrder, stockOf } from '../support/orders.js';

describe('idempotency key expiry', () => {
  const shop = useShop();
  let customer: TestUser;

  beforeAll(async () => {
    customer = await createUser(shop.app);
  });

  test('When the cleanup job runs, then keys older than 24 h are gone (the key may be reused) and younger ones stay', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 10 });
    const line = (quantity: number) => ({ items: [{ productId: product.id, quantity }] });
    expect((await placeOrder(shop.app, customer, line(1), 'key-old')).status).toBe(201);
    expect((await placeOrder(shop.app, customer, line(1), 'key-young')).status).toBe(201);
    const em = shop.app.container.orm.em.fork();
    await em.execute(`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'key-old'`);
    await em.execute(`update idempotency_keys set created_at = now() - interval '23 hours' where key = 'key-young'`);

    await shop.app.container.scheduler.enqueue('orders.cleanup-idempotency-keys', {});
    await eventually(async () => ((await countRows(shop.app, 'idempotency_keys')) === 1 ? true : undefined));

    const keys = await em.execute<Array<{ key: string }>>(`select key from idempotency_keys`);
    expect(keys.map((k) => k.key)).toEqual(['key-young']);
    expect((await placeOrder(shop.app, customer, line(2), 'key-old')).status).toBe(201); // a new order, not a replay
    expect((await placeOrder(shop.app, customer, line(2), 'key-young')).body.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await stockOf(shop.app, product.id)).toEqual([6]);
  });
});
