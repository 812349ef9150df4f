import { finishedImport, uploadCsv } from '../support/imports.js';
import { countRows, placeOrder, stockOf } from '../support/orders.js';
import { createProduct } from '../support/products.js';
import { emitAck, nextEvent } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

describe('a price raised between cart and checkout', () => {
  const world = useWorld({ merchant: true }); // role `all`: the worker tells the carts

  test('When the merchant raises a price in a shopper’s cart, then the cart is pushed cart:updated, a checkout at the old total is 409 PRICE_CHANGED and nothing is charged', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 10, priceCents: 100 });
    const other = await createProduct(world.app, world.merchant, { stock: 10, priceCents: 50 });
    const customer = await createUser(world.app);
    const socket = await world.connect(customer);
    await emitAck(socket, 'cart:add', { productId: product.id, quantity: 2 });
    const shown = await emitAck(socket, 'cart:add', { productId: other.id, quantity: 1 });
    expect(shown.data.totalCents).toBe(250);
    const bystander = await world.connect(await createUser(world.app));

    const pushed = nextEvent(socket, 'cart:updated');
    let bystanderTold = false;
    bystander.on('cart:updated', () => {
      bystanderTold = true;
    });
    expect((await world.http.patch(`/api/v1/products/${product.id}`, { priceCents: 999 }, world.merchant.token)).status).toBe(200);
    const { cart } = await pushed;
    expect(cart.items).toEqual(
      expect.arrayContaining([
        { productId: product.id, quantity: 2, priceCents: 999 },
        { productId: other.id, quantity: 1, priceCents: 50 },
      ]),
    );
    expect(cart.totalCents).toBe(2048);

    const ordersBefore = await countRows(world.app, 'orders');
    const refused = await placeOrder(world.app, customer, { fromCart: true, expectedTotalCents: 250 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'PRICE_CHANGED', expectedTotalCents: 250, totalCents: 2048, currency: 'EUR' });
    expect(refused.body.items).toEqual(
      expect.arrayContaining([
        { productId: product.id, quantity: 2, unitPriceCents: 999, addons: [] },
        { productId: other.id, quantity: 1, unitPriceCents: 50, addons: [] },
      ]),
    );
    expect(await countRows(world.app, 'orders')).toBe(ordersBefore);
    expect(await stockOf(world.app, product.id, other.id)).toEqual([10, 10]);
    expect((await emitAck(socket, 'cart:get', {})).data.items).toHaveLength(2); // the reservations went back to the cart

    const bought = await placeOrder(world.app, customer, { fromCart: true, expectedTotalCents: 2048 });
    expect(bought.status).toBe(201);
    expect(bought.body.totalCents).toBe(2048);
    expect(bystanderTold).toBe(false);
  });

  test('When explicit lines carry a stale expectedTotalCents, then 409 PRICE_CHANGED; the same key replays it; the right total buys', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 5, priceCents: 300 });
    const customer = await createUser(world.app);
    const body = { items: [{ productId: product.id, quantity: 1 }], expectedTotalCents: 200 };
    const first = await placeOrder(world.app, customer, body, 'stale-total-key');
    const replay = await placeOrder(world.app, customer, body, 'stale-total-key');
    expect([first.status, replay.status]).toEqual([409, 409]);
    expect(replay.body.code).toBe('PRICE_CHANGED');
    expect(await stockOf(world.app, product.id)).toEqual([5]);
    expect((await placeOrder(world.app, customer, { ...body, expectedTotalCents: 300 })).status).toBe(201);
  });

  test('When expectedTotalCents is negative or fractional, then 422 names it', async () => {
    const customer = await createUser(world.app);
    const product = await createProduct(world.app, world.merchant, { stock: 5 });
    for (const expectedTotalCents of [-1, 1.5, '100']) {
      const res = await placeOrder(world.app, customer, { items: [{ productId: product.id, quantity: 1 }], expectedTotalCents });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['expectedTotalCents']);
    }
  });
  test('When a CSV import raises a price in a shopper’s cart, then the cart is pushed cart:updated with the new price', async () => {
    const product = await createProduct(world.app, world.merchant, { sku: 'IMPORT-PRICE-1', name: 'Oat milk 1 L', stock: 10, priceCents: 100 });
    const customer = await createUser(world.app);
    const socket = await world.connect(customer);
    await emitAck(socket, 'cart:add', { productId: product.id, quantity: 1 });
    const pushed = nextEvent(socket, 'cart:updated', 15_000);
    const upload = await uploadCsv(world.app, world.merchant.token, 'name,sku,price\nOat milk 1 L,IMPORT-PRICE-1,4.50\n');
    expect(upload.status).toBe(202);
    expect(await finishedImport(world.app, world.merchant.token, upload.body.id)).toMatchObject({ status: 'completed', rowsUpserted: 1 });
    expect((await pushed).cart.items).toEqual([{ productId: product.id, quantity: 1, priceCents: 450 }]);
  });
});
