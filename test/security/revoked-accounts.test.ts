import { randomUUID } from 'node:crypto';
import { registerUser } from '../identity/support.js';
import { httpClient } from '../support/http.js';
import { placeOrder } from '../support/orders.js';
import { createProduct } from '../support/products.js';
import { connectSocket, emitAck, nextEvent } from '../support/sockets.js';
import { createUser, type TestUser } from '../support/users.js';
import { eventually } from '../support/eventually.js';
import { useWorld } from '../support/world.js';

describe('deleted and disabled accounts', () => {
  const world = useWorld({ merchant: true });
  let admin: TestUser;
  const deleteUser = (id: string) => world.app.container.orm.em.fork().getConnection().execute('delete from users where id = ?', [id]);
  const available = async (productId: string) => (await world.app.container.modules.inventory.available([productId])).get(productId);

  beforeAll(async () => {
    admin = await createUser(world.app, 'admin');
  });

  test('When a deleted customer’s still-valid token places an order, reserves over a new socket or reads /me, then every answer is 401', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 5 });
    const used = await createUser(world.app); // its token was used before the deletion (cached as active)
    expect((await world.http.get('/api/v1/cart', used.token)).status).toBe(200);
    const unused = await createUser(world.app);
    await deleteUser(used.id);
    await deleteUser(unused.id);
    for (const customer of [used, unused]) {
      const order = await placeOrder(world.app, customer, { items: [{ productId: product.id, quantity: 1 }] });
      expect(order.status).toBe(401);
      expect(order.body.code).toBe('UNAUTHENTICATED');
    }
    expect((await world.http.get('/api/v1/me', unused.token)).status).toBe(401);
    // The handshake waits for Redis only; the account is checked right after it, and the socket closed.
    const socket = await connectSocket(world.app.url, unused.token);
    await eventually(
      async () => socket.connected,
      (connected) => !connected,
      2_000,
    );
    expect(await available(product.id)).toBe(5);
  });

  test('When an account is deleted while its socket is open, then the socket is closed within the sweep interval', async () => {
    const customer = await createUser(world.app);
    const socket = await world.connect(customer);
    const told = nextEvent(socket, 'auth:expired', 15_000);
    await deleteUser(customer.id);
    await told;
    await eventually(
      async () => socket.connected,
      (connected) => !connected,
    );
  }, 20_000);

  test('When an admin disables an account, then its tokens are refused on every instance at once, its sockets close, its cart is released and it cannot sign in', async () => {
    const second = await world.start();
    const product = await createProduct(world.app, world.merchant, { stock: 4 });
    const registered = await registerUser(world.http);
    const socket = await world.connect(registered.accessToken, second);
    expect((await emitAck(socket, 'cart:add', { productId: product.id, quantity: 3 })).ok).toBe(true);
    expect(await available(product.id)).toBe(1);
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));

    const disabled = await world.http.post(`/api/v1/users/${registered.user.id}/disable`, {}, admin.token);
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).toEqual(expect.any(String));

    for (const client of [world.http, httpClient(second.url)]) {
      const me = await client.get('/api/v1/me', registered.accessToken);
      expect(me.status).toBe(401);
      expect(me.body.code).toBe('UNAUTHENTICATED');
    }
    await closed;
    await eventually(
      () => available(product.id),
      (n) => n === 4,
    );
    expect((await world.http.post('/api/v1/auth/refresh', { refreshToken: registered.refreshToken })).status).toBe(401);
    expect((await world.http.post('/api/v1/auth/token', { email: registered.email, password: registered.password })).status).toBe(403);
    await expect(connectSocket(second.url, registered.accessToken)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });

    expect((await world.http.post(`/api/v1/users/${registered.user.id}/enable`, {}, admin.token)).body.disabledAt).toBeNull();
    const again = await world.http.post('/api/v1/auth/token', { email: registered.email, password: registered.password });
    expect(again.status).toBe(200);
    expect((await world.http.get('/api/v1/me', again.body.accessToken)).status).toBe(200);
    expect((await world.http.get('/api/v1/me', registered.accessToken)).status).toBe(401); // tokens from before stay dead
    await world.stop(second);
  });

  test('When a non-admin tries to disable an account, or an admin names nobody, then 403 / 404 and nothing changes', async () => {
    const victim = await createUser(world.app);
    for (const role of ['customer', 'merchant', 'driver'] as const) {
      const caller = await createUser(world.app, role);
      expect((await world.http.post(`/api/v1/users/${victim.id}/disable`, {}, caller.token)).status).toBe(403);
    }
    expect((await world.http.post(`/api/v1/users/${randomUUID()}/disable`, {}, admin.token)).status).toBe(404);
    expect((await world.http.post(`/api/v1/users/${admin.id}/disable`, {}, admin.token)).status).toBe(422);
    expect((await world.http.get('/api/v1/cart', victim.token)).status).toBe(200);
  });
});
