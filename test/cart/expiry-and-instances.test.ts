import type { TestApp } from '../support/test-env.js';
import { emitAck, nextEvent } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { createProduct } from '../support/products.js';
import { useWorld } from '../support/world.js';

describe('carts across instances and expiry', () => {
  const world = useWorld({ variables: { CART_TTL_SECONDS: '1' }, merchant: true });
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = world.app;
    b = await world.start({ CART_TTL_SECONDS: '1', PROCESS_ROLE: 'server' });
  });

  test('When a shopper on instance A reserves, then a watcher on instance B sees the change', async () => {
    const product = await createProduct(a, world.merchant, { stock: 7 });
    const watcher = await world.connect(await createUser(a), b);
    await emitAck(watcher, 'products:watch', { productIds: [product.id] });
    const pushed = nextEvent(watcher, 'stock:changed');
    const shopper = await world.connect(await createUser(a), a);
    expect((await emitAck(shopper, 'cart:add', { productId: product.id, quantity: 3 })).ok).toBe(true);
    expect(await pushed).toEqual({ productId: product.id, available: 4 });
  });

  test('When a cart expires, then its units return, the owner is told on their instance, and watchers see it', async () => {
    const product = await createProduct(a, world.merchant, { stock: 5 });
    const owner = await createUser(a);
    const ownerSocket = await world.connect(owner, b);
    const watcher = await world.connect(await createUser(a), a);
    await emitAck(watcher, 'products:watch', { productIds: [product.id] });
    expect((await emitAck(ownerSocket, 'cart:add', { productId: product.id, quantity: 5 })).ok).toBe(true);

    const restored = new Promise<void>((resolve) => {
      watcher.on('stock:changed', (p: { available: number }) => p.available === 5 && resolve());
    });
    const expired = await nextEvent(ownerSocket, 'cart:expired', 6_000);
    expect(expired).toEqual({ items: [{ productId: product.id, quantity: 5 }] });
    await restored;
    const cart = await emitAck(ownerSocket, 'cart:get', {});
    expect(cart.data).toMatchObject({ items: [], expiresAt: null });
  });

  test('When a cart keeps changing, then its expiry slides and it is not released early', async () => {
    const product = await createProduct(a, world.merchant, { stock: 5 });
    const socket = await world.connect(await createUser(a), a);
    let expiredEvents = 0;
    socket.on('cart:expired', () => expiredEvents++);
    for (let i = 0; i < 4; i++) {
      const ack = await emitAck(socket, 'cart:update', { productId: product.id, quantity: 1 + (i % 2) });
      expect(ack.ok).toBe(true);
      await new Promise((r) => setTimeout(r, 600));
    }
    expect(expiredEvents).toBe(0);
  });

  test('When every instance sweeps at once, then each expired cart is released exactly once', async () => {
    const product = await createProduct(a, world.merchant, { stock: 40 });
    const owners = await Promise.all(Array.from({ length: 20 }, () => createUser(a)));
    const ownerSockets = await Promise.all(owners.map((u, i) => world.connect(u, i % 2 ? a : b)));
    await Promise.all(ownerSockets.map((s) => emitAck(s, 'cart:add', { productId: product.id, quantity: 2 })));
    const counts = ownerSockets.map(() => 0);
    ownerSockets.forEach((s, i) => {
      s.on('cart:expired', () => counts[i]++);
    });
    await new Promise((r) => setTimeout(r, 3_000));
    await Promise.all([a.container.modules.inventory.sweeper.sweep(), b.container.modules.inventory.sweeper.sweep()]);
    expect(counts).toEqual(owners.map(() => 1));
    const check = await world.connect(await createUser(a), a);
    expect((await emitAck(check, 'products:watch', { productIds: [product.id] })).data.available[product.id]).toBe(40);
  });
});
