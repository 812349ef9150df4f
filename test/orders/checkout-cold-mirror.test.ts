import { createUser } from '../support/users.js';
import { createProduct } from '../support/products.js';
import { placeOrder, stockOf } from '../support/orders.js';
import { useWorld } from '../support/world.js';

describe('checkout with an empty stock mirror', () => {
  const world = useWorld({ variables: { DATABASE_POOL_MAX: '2' } });

  test('When Redis lost the mirror and more checkouts than pool connections arrive, then every one completes', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const products = await Promise.all(Array.from({ length: 8 }, () => createProduct(world.app, merchant, { stock: 5 })));
    // As after a Redis restart: the mirror is gone and is rebuilt lazily by the checkouts themselves.
    await world.app.container.redis.del(...products.map((p) => `inv:${p.id}`));
    const customers = await Promise.all(products.map(() => createUser(world.app)));

    const results = await Promise.all(products.map((p, i) => placeOrder(world.app, customers[i], { items: [{ productId: p.id, quantity: 2 }] })));

    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(await stockOf(world.app, ...products.map((p) => p.id))).toEqual(Array(8).fill(3));
    const available = await world.app.container.modules.inventory.available(products.map((p) => p.id));
    expect([...available.values()]).toEqual(Array(8).fill(3));
  }, 20_000);
});
