import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../domain/shared/clock.js';
import { eventually } from '../support/eventually.js';
import { placeOrder } from '../support/orders.js';
import { createProduct } from '../support/products.js';
import { emitAck, emitRaw, nextEvent } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const clock = new ManualClock();
// Role `all`: this instance's sweeper releases expired carts on the manual clock.
const world = useWorld({ merchant: true, variables: { CART_TTL_SECONDS: '60', CART_MAX_HOLD_SECONDS: '300' }, container: { clock } });
const t0 = clock.now();
// Tests move the clock minutes ahead; every test starts from the same moment, so tokens signed then stay valid.
afterEach(() => clock.set(t0));
const available = async (productId: string) => (await world.app.container.modules.inventory.available([productId])).get(productId);

describe('hoarding stock through reservations', () => {
  test.each(['merchant', 'driver', 'admin'] as const)('When a %s (who cannot check out) reserves, then FORBIDDEN and nothing is held', async (role) => {
    const product = await createProduct(world.app, world.merchant, { stock: 5 });
    const socket = await world.connect(await createUser(world.app, role));
    for (const [event, payload] of [
      ['cart:add', { productId: product.id, quantity: 5 }],
      ['cart:update', { productId: product.id, quantity: 5 }],
    ] as const) {
      expect(await emitRaw(socket, event, payload)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await available(product.id)).toBe(5);
    expect((await placeOrder(world.app, await createUser(world.app, role), { items: [{ productId: product.id, quantity: 1 }] })).status).toBe(403);
  });

  test('When a customer sends no-op updates, then the expiry does not move', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 5 });
    const socket = await world.connect(await createUser(world.app));
    const added = await emitAck(socket, 'cart:add', { productId: product.id, quantity: 2 });
    for (let i = 0; i < 5; i++) {
      clock.advance(10_000);
      const same = await emitAck(socket, 'cart:update', { productId: product.id, quantity: 2 });
      expect(same.data.expiresAt).toBe(added.data.expiresAt);
    }
    clock.advance(10_000);
    const real = await emitAck(socket, 'cart:update', { productId: product.id, quantity: 3 });
    expect(Date.parse(real.data.expiresAt!)).toBe(clock.now().getTime() + 60_000);
    await emitAck(socket, 'cart:clear', {});
  });

  test('When a cart keeps changing for longer than CART_MAX_HOLD_SECONDS, then it expires at the absolute limit and its units return', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 10 });
    const socket = await world.connect(await createUser(world.app));
    const first = await emitAck(socket, 'cart:add', { productId: product.id, quantity: 1 });
    const started = Date.parse(first.data.expiresAt!) - 60_000;
    let last = first;
    for (let i = 2; i <= 8; i++) {
      clock.advance(50_000);
      last = await emitAck(socket, 'cart:update', { productId: product.id, quantity: i });
      expect(Date.parse(last.data.expiresAt!)).toBe(Math.min(clock.now().getTime() + 60_000, started + 300_000));
    }
    expect(Date.parse(last.data.expiresAt!)).toBe(started + 300_000);
    expect(await available(product.id)).toBe(2);
    const expired = nextEvent(socket, 'cart:expired');
    clock.set(new Date(started + 300_001));
    expect((await expired).items).toEqual([{ productId: product.id, quantity: 8 }]);
    expect(await available(product.id)).toBe(10);
  });

  test('When a checkout of the cart fails and hands it back, then the absolute limit does not restart', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 10, priceCents: 100 });
    const customer = await createUser(world.app);
    const socket = await world.connect(customer);
    const first = await emitAck(socket, 'cart:add', { productId: product.id, quantity: 1 });
    const started = Date.parse(first.data.expiresAt!) - 60_000;
    clock.advance(280_000);
    const refused = await placeOrder(world.app, customer, { fromCart: true, expectedTotalCents: 1 });
    expect(refused.body.code).toBe('PRICE_CHANGED');
    const back = await emitAck(socket, 'cart:get', {});
    expect(back.data.items).toEqual([{ productId: product.id, quantity: 1, priceCents: 100 }]);
    expect(Date.parse(back.data.expiresAt!)).toBe(started + 300_000);
    await emitAck(socket, 'cart:clear', {});
  });
});

describe('maxPerCustomer', () => {
  test('When a customer reserves past the cap, in one cart or on top of earlier orders, then VALIDATION names quantity', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 50, maxPerCustomer: 3 });
    expect(product).toMatchObject({ maxPerCustomer: 3 });
    const customer = await createUser(world.app);
    const socket = await world.connect(customer);
    const over = await emitAck(socket, 'cart:add', { productId: product.id, quantity: 4 });
    expect(over).toMatchObject({ ok: false, error: { code: 'VALIDATION', errors: [{ path: 'quantity' }], maxPerCustomer: 3 } });
    expect((await emitAck(socket, 'cart:add', { productId: product.id, quantity: 2 })).ok).toBe(true);
    expect((await placeOrder(world.app, customer, { fromCart: true })).status).toBe(201);
    expect(await emitAck(socket, 'cart:add', { productId: product.id, quantity: 2 })).toMatchObject({ ok: false, error: { allowed: 1 } });
    expect((await emitAck(socket, 'cart:add', { productId: product.id, quantity: 1 })).ok).toBe(true);
    const direct = await placeOrder(world.app, customer, { items: [{ productId: product.id, quantity: 2 }] });
    expect(direct.status).toBe(422);
    expect(direct.body.errors.map((e: { path: string }) => e.path)).toEqual(['items.0.quantity']);
    expect(await available(product.id)).toBe(47);
  });

  test('When one customer races 20 reservations and 10 checkouts against a cap of 2, then never more than 2 are held and ordered', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 100, maxPerCustomer: 2 });
    const customer = await createUser(world.app);
    const sockets = await Promise.all(Array.from({ length: 2 }, () => world.connect(customer)));
    const acks = await Promise.all(Array.from({ length: 20 }, (_, i) => emitAck(sockets[i % 2], 'cart:add', { productId: product.id, quantity: 1 })));
    expect(acks.filter((a) => a.ok)).toHaveLength(2);
    await emitAck(sockets[0], 'cart:clear', {});
    const orders = await Promise.all(
      Array.from({ length: 10 }, () => placeOrder(world.app, customer, { items: [{ productId: product.id, quantity: 1 }] }, randomUUID())),
    );
    expect(orders.filter((o) => o.status === 201)).toHaveLength(2);
    expect(orders.filter((o) => o.status !== 201).every((o) => o.status === 422)).toBe(true);
    const [row] = await world.app.container.orm.em
      .fork()
      .getConnection()
      .execute(`select coalesce(sum(quantity), 0)::int as n from order_items where product_id = ?`, [product.id]);
    expect(row.n).toBe(2);
    expect(await available(product.id)).toBe(98);
  });

  test('When an order is cancelled, then its units stop counting against the cap', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 10, maxPerCustomer: 1 });
    const customer = await createUser(world.app);
    const order = await placeOrder(world.app, customer, { items: [{ productId: product.id, quantity: 1 }] });
    expect((await placeOrder(world.app, customer, { items: [{ productId: product.id, quantity: 1 }] })).status).toBe(422);
    expect((await world.http.post(`/api/v1/orders/${order.body.id}/cancel`, {}, customer.token)).status).toBe(200);
    expect((await placeOrder(world.app, customer, { items: [{ productId: product.id, quantity: 1 }] })).status).toBe(201);
  });
});

describe('add-ons alone in a cart', () => {
  test('When an add-on is put in a cart on its own, then VALIDATION names productId and nothing is reserved', async () => {
    const addon = await createProduct(world.app, world.merchant, { stock: 5, kind: 'addon' });
    const socket = await world.connect(await createUser(world.app));
    expect(await emitAck(socket, 'cart:add', { productId: addon.id, quantity: 1 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', errors: [{ path: 'productId' }] },
    });
    await eventually(
      () => available(addon.id),
      (n) => n === 5,
    );
  });
});
