import type { Socket } from 'socket.io-client';
import { TestEnv, type TestApp } from '../support/test-env.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { connectSocket, emitAck } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { createProduct } from '../support/products.js';

async function eventually<T>(attempt: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await attempt();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('cart while Redis is unreachable', () => {
  let env: TestEnv;
  let proxy: TcpProxy;
  let app: TestApp;
  let socket: Socket;

  beforeAll(async () => {
    env = await TestEnv.create();
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: 6379 });
    app = await env.start({ REDIS_URL: proxy.url('redis'), PROCESS_ROLE: 'server' });
    socket = await connectSocket(app.url, (await createUser(app)).token);
  });
  afterAll(async () => {
    socket.close();
    await env.close();
    await proxy.close();
  });

  test('When Redis goes away, then cart calls answer UNAVAILABLE with nothing half-applied, and work resumes when it returns', async () => {
    const merchant = await createUser(app, 'merchant');
    const product = await createProduct(app, merchant, { stock: 6 });
    expect((await emitAck(socket, 'cart:add', { productId: product.id, quantity: 2 })).ok).toBe(true);

    proxy.cut();
    const down = await emitAck(socket, 'cart:add', { productId: product.id, quantity: 1 });
    expect(down).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect((await emitAck(socket, 'cart:clear', {})).error.code).toBe('UNAVAILABLE');
    expect(socket.connected).toBe(true);

    proxy.restore();
    const cart = await eventually(() => emitAck(socket, 'cart:get', {}), (a) => a.ok);
    expect(cart.data.items).toEqual([{ productId: product.id, quantity: 2, priceCents: 250 }]);
    const added = await emitAck(socket, 'cart:add', { productId: product.id, quantity: 4 });
    expect(added.ok).toBe(true);
    expect((await emitAck(socket, 'cart:add', { productId: product.id, quantity: 1 })).error).toMatchObject({ code: 'OUT_OF_STOCK', available: 0 });
  });
});
