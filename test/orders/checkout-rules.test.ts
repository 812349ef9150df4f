import { useShop } from '../support/shop.js';
import { createUser, type TestUser } from '../support/users.js';
import { createProduct } from '../support/products.js';
import { connectSocket, emitAck, emitRaw, nextEvent } from '../support/sockets.js';
import { httpClient } from '../support/http.js';
import { countRows, placeOrder, stockOf } from '../support/orders.js';

describe('checkout rules', () => {
  const shop = useShop();
  let customer: TestUser;

  beforeAll(async () => {
    customer = await createUser(shop.app);
  });

  test('When a cart is checked out, then its reservation is consumed and availability is not counted twice', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 10, priceCents: 300 });
    const socket = await connectSocket(shop.app.url, customer.token);
    try {
      await emitAck(socket, 'cart:add', { productId: product.id, quantity: 3 });
      expect((await httpClient(shop.app.url).get(`/api/v1/products/${product.id}`)).body).toMatchObject({ stock: 10, available: 7 });
      const before = await emitAck(socket, 'products:watch', { productIds: [product.id] });
      expect(before.data.available[product.id]).toBe(7);

      const res = await placeOrder(shop.app, customer, { fromCart: true });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ totalCents: 900, items: [{ productId: product.id, quantity: 3, unitPriceCents: 300, addons: [] }] });
      expect(await stockOf(shop.app, product.id)).toEqual([7]);
      // The product as the catalog serves it (cached before the sale) shows the committed stock.
      expect((await httpClient(shop.app.url).get(`/api/v1/products/${product.id}`)).body).toMatchObject({ stock: 7, available: 7 });
      const after = await emitAck(socket, 'products:watch', { productIds: [product.id] });
      expect(after.data.available[product.id]).toBe(7);
      expect((await emitAck(socket, 'cart:get', {})).data.items).toEqual([]);
    } finally {
      socket.close();
    }
  });

  test('When one cart is checked out twice at once with different keys, then exactly one order buys it', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 10 });
    const shopper = await createUser(shop.app);
    const socket = await connectSocket(shop.app.url, shopper.token);
    try {
      await emitAck(socket, 'cart:add', { productId: product.id, quantity: 4 });
      const results = await Promise.all([1, 2, 3].map(() => placeOrder(shop.app, shopper, { fromCart: true })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422]);
      expect(await stockOf(shop.app, product.id)).toEqual([6]);
      expect((await emitAck(socket, 'products:watch', { productIds: [product.id] })).data.available[product.id]).toBe(6);
    } finally {
      socket.close();
    }
  });

  test('When a cart checkout fails, then the reservations go back to the cart', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 5 });
    const shopper = await createUser(shop.app);
    const socket = await connectSocket(shop.app.url, shopper.token);
    try {
      await emitAck(socket, 'cart:add', { productId: product.id, quantity: 3 });
      // Stock sold elsewhere behind the mirror's back: the guarded update refuses the checkout.
      await shop.app.container.orm.em.fork().execute(`update products set stock = 1 where id = ?`, [product.id]);
      const res = await placeOrder(shop.app, shopper, { fromCart: true });
      expect(res.status).toBe(409);
      expect(res.body.items).toEqual([{ productId: product.id, requested: 3, available: 1 }]);
      const cart = await emitAck(socket, 'cart:get', {});
      expect(cart.data.items).toEqual([expect.objectContaining({ productId: product.id, quantity: 3 })]);
      expect(Date.parse(cart.data.expiresAt!)).toBeGreaterThan(Date.now());
      expect(await stockOf(shop.app, product.id)).toEqual([1]);
    } finally {
      socket.close();
    }
  });

  test('When an order is placed and then cancelled, then watchers see availability go down and back', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 10 });
    const watcher = await connectSocket(shop.app.url, (await createUser(shop.app)).token);
    try {
      await emitAck(watcher, 'products:watch', { productIds: [product.id] });
      const sold = nextEvent(watcher, 'stock:changed', 5_000, (p: { available: number }) => p.available === 6);
      const placed = await placeOrder(shop.app, customer, { items: [{ productId: product.id, quantity: 4 }] });
      expect(await sold).toEqual({ productId: product.id, available: 6 });
      const returned = nextEvent(watcher, 'stock:changed', 5_000, (p: { available: number }) => p.available === 10);
      expect((await httpClient(shop.app.url).post(`/api/v1/orders/${placed.body.id}/cancel`, undefined, customer.token)).status).toBe(200);
      expect(await returned).toEqual({ productId: product.id, available: 10 });
    } finally {
      watcher.close();
    }
  });

  test('When the cart is empty, then checkout from the cart is refused and nothing is written', async () => {
    const ordersBefore = await countRows(shop.app, 'orders');
    const res = await placeOrder(shop.app, await createUser(shop.app), { fromCart: true });
    expect(res.status).toBe(422);
    expect(await countRows(shop.app, 'orders')).toBe(ordersBefore);
  });

  test('When a key is reused with another body, then 422 IDEMPOTENCY_MISMATCH and nothing more is written', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 10 });
    expect((await placeOrder(shop.app, customer, { items: [{ productId: product.id, quantity: 1 }] }, 'key-mismatch')).status).toBe(201);
    const reused = await placeOrder(shop.app, customer, { items: [{ productId: product.id, quantity: 2 }] }, 'key-mismatch');
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await stockOf(shop.app, product.id)).toEqual([9]);
  });

  test('When a refused checkout is retried with its key, then the same 409 is replayed', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 1 });
    const body = { items: [{ productId: product.id, quantity: 2 }] };
    const first = await placeOrder(shop.app, customer, body, 'key-refused');
    const again = await placeOrder(shop.app, customer, body, 'key-refused');
    expect(first.status).toBe(409);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'OUT_OF_STOCK', items: first.body.items });
  });

  test('When the Idempotency-Key header is missing, then 422 names it and nothing is written', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 10 });
    const ordersBefore = await countRows(shop.app, 'orders');
    const res = await httpClient(shop.app.url).post('/api/v1/orders', { items: [{ productId: product.id, quantity: 1 }] }, customer.token);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'Idempotency-Key' })]);
    expect(await countRows(shop.app, 'orders')).toBe(ordersBefore);
    expect(await stockOf(shop.app, product.id)).toEqual([10]);
  });

  test.each([
    ['negative quantity', (id: string) => ({ items: [{ productId: id, quantity: -1 }] }), 'items.0.quantity'],
    ['huge quantity', (id: string) => ({ items: [{ productId: id, quantity: 1e12 }] }), 'items.0.quantity'],
    ['fractional quantity', (id: string) => ({ items: [{ productId: id, quantity: 1.5 }] }), 'items.0.quantity'],
    ['string quantity', (id: string) => ({ items: [{ productId: id, quantity: '1' }] }), 'items.0.quantity'],
    ['empty items', () => ({ items: [] }), 'items'],
    ['non-UUID product', () => ({ items: [{ productId: "1' or 1=1 --", quantity: 1 }] }), 'items.0.productId'],
    [
      'SQL text in the address',
      (id: string) => ({
        items: [{ productId: id, quantity: 1 }],
        deliveryAddress: { line1: "x'); drop table orders; --", locality: 'Lyon', lat: 500, lng: 0 },
      }),
      'deliveryAddress.lat',
    ],
    ['client-sent price', (id: string) => ({ items: [{ productId: id, quantity: 1, unitPriceCents: 1 }] }), 'items.0.unitPriceCents'],
    ['both cart and items', (id: string) => ({ fromCart: true, items: [{ productId: id, quantity: 1 }] }), 'items'],
    ['a body that is not an object', () => [1, 2, 3], ''],
  ])('When the body has %s, then 422 names the field and nothing is written', async (_name, build, field) => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 10 });
    const ordersBefore = await countRows(shop.app, 'orders');
    const res = await placeOrder(shop.app, customer, build(product.id));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(await countRows(shop.app, 'orders')).toBe(ordersBefore);
    expect(await stockOf(shop.app, product.id)).toEqual([10]);
  });

  test('When a line names an unknown or inactive product, then 422 names the line and nothing is written', async () => {
    const inactive = await createProduct(shop.app, shop.merchant, { stock: 10, active: false });
    const res = await placeOrder(shop.app, customer, {
      items: [
        { productId: '00000000-0000-4000-8000-000000000000', quantity: 1 },
        { productId: inactive.id, quantity: 1 },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['items.0.productId', 'items.1.productId']);
    expect(await stockOf(shop.app, inactive.id)).toEqual([10]);
  });

  test('When an add-on is ordered with a dish it does not belong to, then 422 and nothing is written', async () => {
    const dish = await createProduct(shop.app, shop.merchant, { kind: 'dish', stock: 5, priceCents: 900 });
    const otherDish = await createProduct(shop.app, shop.merchant, { kind: 'dish', stock: 5, priceCents: 800 });
    const sauce = await createProduct(shop.app, shop.merchant, { kind: 'addon', stock: 5, priceCents: 50 });
    const http = httpClient(shop.app.url);
    const rival = await createUser(shop.app, 'merchant');
    const rivalSauce = await createProduct(shop.app, rival, { kind: 'addon', stock: 5 });
    expect((await http.put(`/api/v1/products/${dish.id}/addons`, { addonIds: [sauce.id] }, rival.token)).status).toBe(404);
    const foreign = await http.put(`/api/v1/products/${dish.id}/addons`, { addonIds: [sauce.id, rivalSauce.id] }, shop.merchant.token);
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors).toEqual([expect.objectContaining({ path: 'addonIds.1' })]);
    expect((await http.put(`/api/v1/products/${dish.id}/addons`, { addonIds: [otherDish.id] }, shop.merchant.token)).status).toBe(422);
    for (const [body, field] of [
      [{ addonIds: ["1' or 1=1 --"] }, 'addonIds.0'],
      [{ addonIds: Array(51).fill(sauce.id) }, 'addonIds'],
      [{ addonIds: [sauce.id], priceCents: 1 }, 'priceCents'],
      [{ addonIds: 'all' }, 'addonIds'],
    ] as const) {
      const refused = await http.put(`/api/v1/products/${dish.id}/addons`, body, shop.merchant.token);
      expect(refused.status).toBe(422);
      expect(refused.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect((await http.get(`/api/v1/products/${dish.id}/addons`)).body.addonIds).toEqual([]);
    const linked = await http.put(`/api/v1/products/${dish.id}/addons`, { addonIds: [sauce.id] }, shop.merchant.token);
    expect(linked.body).toEqual({ dishId: dish.id, addonIds: [sauce.id] });
    expect((await http.get(`/api/v1/products/${dish.id}/addons`)).body.addonIds).toEqual([sauce.id]);

    const wrong = await placeOrder(shop.app, customer, { items: [{ productId: otherDish.id, quantity: 1, addonIds: [sauce.id] }] });
    expect(wrong.status).toBe(422);
    const right = await placeOrder(shop.app, customer, { items: [{ productId: dish.id, quantity: 2, addonIds: [sauce.id] }] });
    expect(right.status).toBe(201);
    expect(right.body).toMatchObject({
      totalCents: 2 * 900 + 2 * 50,
      items: [{ productId: dish.id, quantity: 2, addons: [{ productId: sauce.id, quantity: 2, unitPriceCents: 50 }] }],
    });
    expect(await stockOf(shop.app, dish.id, otherDish.id, sauce.id)).toEqual([3, 5, 3]);
  });

  test('When an order is placed over the socket, then the ack carries it and a replay acks the same order', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 10 });
    const socket = await connectSocket(shop.app.url, customer.token);
    try {
      const payload = { idempotencyKey: 'socket-key-1', items: [{ productId: product.id, quantity: 1 }] };
      const first = await emitAck(socket, 'order:place', payload);
      const second = await emitAck(socket, 'order:place', payload);
      expect(first).toMatchObject({ ok: true, data: { status: 'placed' } });
      expect(second.data.id).toBe(first.data.id);
      expect(await emitRaw(socket, 'order:place', { items: [{ productId: product.id, quantity: 1 }] })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION' },
      });
      expect(await stockOf(shop.app, product.id)).toEqual([9]);
    } finally {
      socket.close();
    }
  });
});
