import { TestEnv, type TestApp } from '../support/test-env.js';
import { createUser } from '../support/users.js';
import { createProduct } from '../support/products.js';
import { placeOrder, stockOf } from '../support/orders.js';

describe('checkout with an empty stock mirror', () => {
  let env: TestEnv;
  let app: TestApp;

  beforeAll(async () => {
    env = await TestEnv.create();
    app = await env.start({ DATABASE_POOL_MAX: '2' });
  });
  afterAll(() => env.close());

  test('When Redis lost the mirror and more checkouts than pool connections arrive, then every one completes', async () => {
    const merchant = await createUser(app, 'merchant');
    const products = await Promise.all(Array.from({ length: 8 }, () => createProduct(app, merchant, { stock: 5 })));
    // As after a Redis restart: the mirror is gone and is rebuilt lazily by the checkouts themselves.
    await app.container.redis.del(...products.map((p) => `inv:${p.id}`));
    const customers = await Promise.all(products.map(() => createUser(app)));

    const results = await Promise.all(products.map((p, i) => placeOrder(app, customers[i], { items: [{ productId: p.id, quantity: 2 }] })));

    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(await stockOf(app, ...products.map((p) => p.id))).toEqual(Array(8).fill(3));
    const available = await app.container.modules.inventory.available(products.map((p) => p.id));
    expect([...available.values()]).toEqual(Array(8).fill(3));
  }, 20_000);
});
