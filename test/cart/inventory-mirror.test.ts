import { useShop } from '../support/shop.js';
import { createUser } from '../support/users.js';
import { createProduct } from '../support/products.js';
import { connectSocket, emitAck, nextEvent } from '../support/sockets.js';
import { httpClient } from '../support/http.js';

describe('inventory mirror', () => {
  const shop = useShop();

  test('When the shop.merchant changes stock, then availability follows, keeps reservations, and watchers are told', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 10 });
    const shopper = await connectSocket(shop.app.url, (await createUser(shop.app)).token);
    try {
      await emitAck(shopper, 'cart:add', { productId: product.id, quantity: 3 });
      await emitAck(shopper, 'products:watch', { productIds: [product.id] });
      const pushed = nextEvent(shopper, 'stock:changed', 5_000, (p: { productId: string; available: number }) => p.available === 17);
      const patched = await httpClient(shop.app.url).patch(`/api/v1/products/${product.id}`, { stock: 20 }, shop.merchant.token);
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ stock: 20, available: 17 });
      expect((await pushed).productId).toBe(product.id);
    } finally {
      shopper.close();
    }
  });

  test('When stock changed in PostgreSQL behind the mirror, then a rebuild restores it and keeps reservations', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 10 });
    const shopper = await connectSocket(shop.app.url, (await createUser(shop.app)).token);
    try {
      await emitAck(shopper, 'cart:add', { productId: product.id, quantity: 4 });
      await shop.app.container.orm.em.fork().execute(`update products set stock = 50 where id = ?`, [product.id]);
      const { inventory } = shop.app.container.modules;
      expect((await inventory.available([product.id])).get(product.id)).toBe(6); // stale until rebuilt
      expect(await inventory.mirror.rebuild()).toBeGreaterThanOrEqual(1);
      expect((await inventory.available([product.id])).get(product.id)).toBe(46);
      // An older version can never overwrite a newer one.
      await inventory.mirror.applyStock([{ productId: product.id, stock: 10, stockVersion: 1 }]);
      expect((await inventory.available([product.id])).get(product.id)).toBe(46);
    } finally {
      shopper.close();
    }
  });
});
