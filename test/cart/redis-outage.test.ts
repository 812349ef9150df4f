import type { Socket } from 'socket.io-client';
import { emitAck } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { createProduct } from '../support/products.js';
import { useWorld } from '../support/world.js';

async function eventually<T>(attempt: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await attempt();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('cart while Redis is unreachable', () => {
  const world = useWorld({ redisProxy: true, variables: { PROCESS_ROLE: 'server' } });
  let socket: Socket;

  beforeAll(async () => {
    socket = await world.connect(await createUser(world.app)); // opened in beforeAll, so it stays open across the tests
  });

  test('When Redis goes away, then cart calls answer UNAVAILABLE with nothing half-applied, and work resumes when it returns', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const product = await createProduct(world.app, merchant, { stock: 6 });
    expect((await emitAck(socket, 'cart:add', { productId: product.id, quantity: 2 })).ok).toBe(true);

    world.redisProxy.cut();
    const down = await emitAck(socket, 'cart:add', { productId: product.id, quantity: 1 });
    expect(down).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect((await emitAck(socket, 'cart:clear', {})).error.code).toBe('UNAVAILABLE');
    expect(socket.connected).toBe(true);

    world.redisProxy.restore();
    const cart = await eventually(
      () => emitAck(socket, 'cart:get', {}),
      (a) => a.ok,
    );
    expect(cart.data.items).toEqual([{ productId: product.id, quantity: 2, priceCents: 250 }]);
    const added = await emitAck(socket, 'cart:add', { productId: product.id, quantity: 4 });
    expect(added.ok).toBe(true);
    expect((await emitAck(socket, 'cart:add', { productId: product.id, quantity: 1 })).error).toMatchObject({ code: 'OUT_OF_STOCK', available: 0 });
  });
});
