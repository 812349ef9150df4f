import type { Socket } from 'socket.io-client';
import { emitAck, emitRaw } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { createProduct } from '../support/products.js';
import { useWorld } from '../support/world.js';

/** Collects every stock:changed for one product; resolves when `available` reaches `target`. */
function watchUntil(socket: Socket, productId: string, target: number, ms = 5_000): Promise<number[]> {
  const seen: number[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`available never reached ${target}; saw ${seen}`)), ms);
    socket.on('stock:changed', (p: { productId: string; available: number }) => {
      if (p.productId !== productId) return;
      seen.push(p.available);
      if (p.available === target) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

describe('cart reservations', () => {
  const world = useWorld({ merchant: true });

  test('When 200 shoppers race for the last 10 units, then exactly 10 reserve and the watcher ends at 0', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 10 });
    const watcher = await world.connect(await createUser(world.app));
    await emitAck(watcher, 'products:watch', { productIds: [product.id] });
    const reachedZero = watchUntil(watcher, product.id, 0);

    const shoppers = await Promise.all(Array.from({ length: 200 }, () => createUser(world.app)));
    const shopperSockets = await Promise.all(shoppers.map((u) => world.connect(u)));
    const acks = await Promise.all(shopperSockets.map((s) => emitAck(s, 'cart:add', { productId: product.id, quantity: 1 })));

    const ok = acks.filter((a) => a.ok);
    const refused = acks.filter((a) => !a.ok);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(190);
    for (const r of refused) expect(r.error).toMatchObject({ code: 'OUT_OF_STOCK', available: 0 });
    const pushes = await reachedZero;
    expect(pushes[pushes.length - 1]).toBe(0);
    expect(pushes.length).toBeLessThan(20); // coalesced, not one push per reservation
    const listed = await world.http.get(`/api/v1/products/${product.id}`);
    expect(listed.body).toMatchObject({ stock: 10, available: 0 });
  });

  test('When a shopper adds, updates, removes and clears, then units are reserved and released', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 5, priceCents: 199 });
    const other = await createProduct(world.app, world.merchant, { stock: 3, priceCents: 1000 });
    const socket = await world.connect(await createUser(world.app));

    const added = await emitAck(socket, 'cart:add', { productId: product.id, quantity: 2 });
    expect(added).toMatchObject({ ok: true, data: { items: [{ productId: product.id, quantity: 2, priceCents: 199 }], totalCents: 398, currency: 'EUR' } });
    expect(Date.parse(added.data.expiresAt!)).toBeGreaterThan(Date.now());

    expect(await emitAck(socket, 'cart:add', { productId: product.id, quantity: 4 })).toMatchObject({
      ok: false,
      error: { code: 'OUT_OF_STOCK', available: 3 },
    });
    expect((await emitAck(socket, 'cart:update', { productId: product.id, quantity: 5 })).data.items[0].quantity).toBe(5);
    await emitAck(socket, 'cart:add', { productId: other.id, quantity: 3 });
    const availability = async () => (await emitAck(socket, 'products:watch', { productIds: [product.id, other.id] })).data.available;
    expect(await availability()).toEqual({ [product.id]: 0, [other.id]: 0 });

    const removed = await emitAck(socket, 'cart:remove', { productId: product.id });
    expect(removed.data.items).toEqual([{ productId: other.id, quantity: 3, priceCents: 1000 }]);
    expect(await availability()).toEqual({ [product.id]: 5, [other.id]: 0 });

    expect(await emitAck(socket, 'cart:update', { productId: other.id, quantity: 1 })).toMatchObject({ ok: true });
    expect(await availability()).toEqual({ [product.id]: 5, [other.id]: 2 });

    const cleared = await emitAck(socket, 'cart:clear', {});
    expect(cleared).toMatchObject({ ok: true, data: { items: [], totalCents: 0, expiresAt: null } });
    expect(await availability()).toEqual({ [product.id]: 5, [other.id]: 3 });
  });

  test('When the cart is read over REST, then it mirrors the socket cart', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 4, priceCents: 300 });
    const user = await createUser(world.app);
    const socket = await world.connect(user);
    await emitAck(socket, 'cart:add', { productId: product.id, quantity: 3 });
    const res = await world.http.get('/api/v1/cart', user.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [{ productId: product.id, quantity: 3, priceCents: 300 }], totalCents: 900 });
    expect((await world.http.get('/api/v1/cart')).status).toBe(401);
  });

  test('When a product is unknown or inactive, then adding it answers NOT_FOUND', async () => {
    const socket = await world.connect(await createUser(world.app));
    const inactive = await createProduct(world.app, world.merchant, { stock: 5, active: false });
    expect(await emitAck(socket, 'cart:add', { productId: inactive.id, quantity: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await emitAck(socket, 'cart:add', { productId: '00000000-0000-4000-8000-000000000000', quantity: 1 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  test('When a line would pass 999 units, then it is refused naming quantity', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 5000 });
    const socket = await world.connect(await createUser(world.app));
    expect((await emitAck(socket, 'cart:add', { productId: product.id, quantity: 999 })).ok).toBe(true);
    expect(await emitAck(socket, 'cart:add', { productId: product.id, quantity: 1 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', errors: [{ path: 'quantity' }] },
    });
  });

  test('When a cart would hold a 101st line, then it is refused and nothing is reserved', async () => {
    const products = await Promise.all(Array.from({ length: 101 }, () => createProduct(world.app, world.merchant, { stock: 3 })));
    const socket = await world.connect(await createUser(world.app));
    for (const p of products.slice(0, 100)) expect((await emitAck(socket, 'cart:add', { productId: p.id, quantity: 1 })).ok).toBe(true);
    const last = products[100];
    expect(await emitAck(socket, 'cart:add', { productId: last.id, quantity: 1 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', errors: [{ path: 'productId' }] },
    });
    expect((await emitAck(socket, 'products:watch', { productIds: [last.id] })).data.available[last.id]).toBe(3);
    expect((await emitAck(socket, 'cart:get', {})).data.items).toHaveLength(100);
  });

  test('When a cart holds euros, then a line priced in dollars is refused naming productId and reserves nothing, until the cart is empty', async () => {
    const euros = await createProduct(world.app, world.merchant, { stock: 5 });
    const dollars = await createProduct(world.app, world.merchant, { stock: 5, currency: 'USD' });
    const socket = await world.connect(await createUser(world.app));
    expect((await emitAck(socket, 'cart:add', { productId: euros.id, quantity: 1 })).ok).toBe(true);
    const refused = await emitAck(socket, 'cart:add', { productId: dollars.id, quantity: 1 });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', errors: [{ path: 'productId', message: 'Cart is in EUR; this product is priced in USD' }] },
    });
    expect(await emitAck(socket, 'cart:update', { productId: dollars.id, quantity: 2 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((await emitAck(socket, 'products:watch', { productIds: [dollars.id] })).data.available[dollars.id]).toBe(5);
    expect((await emitAck(socket, 'cart:add', { productId: euros.id, quantity: 1 })).data.items).toEqual([
      { productId: euros.id, quantity: 2, priceCents: 250 },
    ]);

    await emitAck(socket, 'cart:remove', { productId: euros.id });
    expect(await emitAck(socket, 'cart:add', { productId: dollars.id, quantity: 1 })).toMatchObject({ ok: true, data: { currency: 'USD' } });
    expect(await emitAck(socket, 'cart:add', { productId: euros.id, quantity: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await emitAck(socket, 'cart:clear', {});
    expect(await emitAck(socket, 'cart:add', { productId: euros.id, quantity: 1 })).toMatchObject({ ok: true, data: { currency: 'EUR' } });
  });

  test('When 30 shoppers add a euro and a dollar product at the same instant, then every cart ends in one currency', async () => {
    const euros = await createProduct(world.app, world.merchant, { stock: 100 });
    const dollars = await createProduct(world.app, world.merchant, { stock: 100, currency: 'USD' });
    const sockets = await Promise.all(Array.from({ length: 30 }, async () => world.connect(await createUser(world.app))));
    const acks = await Promise.all(
      sockets.map((s) =>
        Promise.all([emitAck(s, 'cart:add', { productId: euros.id, quantity: 1 }), emitAck(s, 'cart:add', { productId: dollars.id, quantity: 1 })]),
      ),
    );
    let reserved = { euros: 0, dollars: 0 };
    for (const [i, [eur, usd]] of acks.entries()) {
      expect([eur.ok, usd.ok].filter(Boolean)).toHaveLength(1);
      const cart = (await emitAck(sockets[i], 'cart:get', {})).data;
      expect(cart.items).toHaveLength(1);
      reserved = { euros: reserved.euros + (eur.ok ? 1 : 0), dollars: reserved.dollars + (usd.ok ? 1 : 0) };
    }
    const available = (await emitAck(sockets[0], 'products:watch', { productIds: [euros.id, dollars.id] })).data.available;
    expect(available).toEqual({ [euros.id]: 100 - reserved.euros, [dollars.id]: 100 - reserved.dollars });
  });

  test('When the merchant changes stock, then watchers see the new availability', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 2 });
    const shopper = await world.connect(await createUser(world.app));
    await emitAck(shopper, 'cart:add', { productId: product.id, quantity: 2 });
    const watcher = await world.connect(await createUser(world.app));
    expect((await emitAck(watcher, 'products:watch', { productIds: [product.id] })).data.available[product.id]).toBe(0);
    const pushed = watchUntil(watcher, product.id, 8);
    const patched = await world.http.patch(`/api/v1/products/${product.id}`, { stock: 10 }, world.merchant.token);
    expect(patched.status).toBe(200);
    expect(patched.body.available).toBe(8);
    await pushed;
  });
});

describe('hostile cart payloads', () => {
  const world = useWorld({ variables: { PROCESS_ROLE: 'server' }, merchant: true });
  let socket: Socket;
  let productId: string;

  beforeAll(async () => {
    productId = (await createProduct(world.app, world.merchant, { stock: 3 })).id;
    socket = await world.connect(await createUser(world.app)); // opened in beforeAll, so it stays open across the tests
  });

  const cases: Array<[string, string, unknown, string]> = [
    ['null payload', 'cart:add', null, 'productId'],
    ['a string payload', 'cart:add', 'give me everything', ''], // the payload itself is wrong
    ['a negative quantity', 'cart:add', { productId: 'P', quantity: -5 }, 'quantity'],
    ['a huge quantity', 'cart:add', { productId: 'P', quantity: 1e12 }, 'quantity'],
    ['a fractional quantity', 'cart:add', { productId: 'P', quantity: 1.5 }, 'quantity'],
    ['a quantity as a string', 'cart:update', { productId: 'P', quantity: '3' }, 'quantity'],
    ['a non-UUID product id', 'cart:add', { productId: '1; drop table products;--', quantity: 1 }, 'productId'],
    ['an unknown field', 'cart:add', { productId: 'P', quantity: 1, priceCents: 1 }, 'priceCents'],
    ['5000 watch ids', 'products:watch', { productIds: Array.from({ length: 5000 }, () => '00000000-0000-4000-8000-000000000000') }, 'productIds'],
    ['watch ids that are not UUIDs', 'products:watch', { productIds: ['<script>alert(1)</script>'] }, 'productIds.0'],
  ];

  test.each(cases)('When cart events carry %s, then the ack is VALIDATION naming the field and the socket stays', async (_name, event, payload, path) => {
    const resolved =
      payload && typeof payload === 'object' && 'productId' in payload && (payload as { productId: string }).productId === 'P'
        ? { ...payload, productId }
        : payload;
    const ack = await emitRaw(socket, event, resolved);
    expect(ack.ok).toBe(false);
    expect(ack.error.code).toBe('VALIDATION');
    expect((ack.error.errors as Array<{ path: string }>).map((e) => e.path)).toContain(path);
    expect(socket.connected).toBe(true);
    const still = await emitAck(socket, 'products:watch', { productIds: [productId] });
    expect(still.data.available[productId]).toBe(3); // nothing was reserved by the hostile calls
  });
});
