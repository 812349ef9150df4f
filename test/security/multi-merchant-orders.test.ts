import { advance, placeOrder, stockOf } from '../support/orders.js';
import { createProduct, type TestProduct } from '../support/products.js';
import { emitAck, nextEvent } from '../support/sockets.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

describe('orders shared by several merchants', () => {
  const world = useWorld();
  let a: TestUser;
  let b: TestUser;
  let admin: TestUser;
  let fromA: TestProduct;
  let fromB: TestProduct;

  beforeAll(async () => {
    [a, b, admin] = [await createUser(world.app, 'merchant'), await createUser(world.app, 'merchant'), await createUser(world.app, 'admin')];
    fromA = await createProduct(world.app, a, { stock: 50, priceCents: 100, name: 'A bread' });
    fromB = await createProduct(world.app, b, { stock: 50, priceCents: 300, name: 'B cheese' });
  });

  const mixedOrder = async (customer: TestUser) =>
    (
      await placeOrder(world.app, customer, {
        items: [
          { productId: fromA.id, quantity: 2 },
          { productId: fromB.id, quantity: 1 },
        ],
      })
    ).body;

  test('When a merchant reads, lists, watches or is pushed a mixed order, then it sees only its own lines and their total', async () => {
    const customer = await createUser(world.app);
    const watchA = await world.connect(a);
    const pushedToA = nextEvent(watchA, 'order:updated');
    const order = await mixedOrder(customer);
    expect(order.totalCents).toBe(500);
    expect(order.items).toHaveLength(2);

    const pushed = (await pushedToA).order;
    expect(pushed.items.map((i: { productId: string }) => i.productId)).toEqual([fromA.id]);
    expect(pushed.totalCents).toBe(200);

    const seenByB = await world.http.get(`/api/v1/orders/${order.id}`, b.token);
    expect(seenByB.body.items).toEqual([expect.objectContaining({ productId: fromB.id, name: 'B cheese', quantity: 1, unitPriceCents: 300 })]);
    expect(seenByB.body.totalCents).toBe(300);
    const listedByA = (await world.http.get('/api/v1/orders?limit=100', a.token)).body.items.find((o: { id: string }) => o.id === order.id);
    expect(listedByA.items.map((i: { productId: string }) => i.productId)).toEqual([fromA.id]);
    expect((await emitAck(watchA, 'order:watch', { orderId: order.id })).data.totalCents).toBe(200);

    const customerSocket = await world.connect(customer);
    await emitAck(customerSocket, 'order:watch', { orderId: order.id });
    const customerPush = nextEvent(customerSocket, 'order:updated', 5_000, (p) => p.order.status === 'confirmed');
    const watcherPush = nextEvent(watchA, 'order:updated', 5_000, (p) => p.order.status === 'confirmed');
    const moved = await advance(world.app, order.id, [[a, 'confirmed']]);
    expect(moved.body.items).toHaveLength(1); // the mover's own answer is trimmed too
    expect((await customerPush).order.items).toHaveLength(2);
    expect((await watcherPush).order.items).toHaveLength(1);
    expect((await world.http.get(`/api/v1/orders/${order.id}`, customer.token)).body.totalCents).toBe(500);
  });

  test('When a merchant of a mixed order tries to cancel it, then 403 and nothing changes; the customer or an admin may', async () => {
    const customer = await createUser(world.app);
    const placed = await mixedOrder(customer);
    for (const merchant of [a, b]) {
      const res = await world.http.post(`/api/v1/orders/${placed.id}/cancel`, {}, merchant.token);
      expect(res.status).toBe(403);
    }
    expect(await stockOf(world.app, fromA.id, fromB.id)).toEqual([expect.any(Number), expect.any(Number)]);
    const before = await stockOf(world.app, fromA.id, fromB.id);
    expect((await world.http.post(`/api/v1/orders/${placed.id}/cancel`, {}, customer.token)).status).toBe(200);
    expect(await stockOf(world.app, fromA.id, fromB.id)).toEqual([before[0] + 2, before[1] + 1]);

    const preparing = await mixedOrder(customer);
    await advance(world.app, preparing.id, [
      [admin, 'confirmed'],
      [admin, 'preparing'],
    ]);
    expect((await world.http.post(`/api/v1/orders/${preparing.id}/cancel`, {}, a.token)).status).toBe(403);
    expect((await world.http.post(`/api/v1/orders/${preparing.id}/cancel`, {}, customer.token)).status).toBe(403);
    expect((await world.http.post(`/api/v1/orders/${preparing.id}/cancel`, {}, admin.token)).status).toBe(200);
  });

  test('When a merchant is the only one on an order, then it still sees it whole and may cancel it', async () => {
    const customer = await createUser(world.app);
    const own = (await placeOrder(world.app, customer, { items: [{ productId: fromA.id, quantity: 1 }] })).body;
    expect((await world.http.get(`/api/v1/orders/${own.id}`, a.token)).body.totalCents).toBe(100);
    expect((await world.http.post(`/api/v1/orders/${own.id}/cancel`, {}, a.token)).status).toBe(200);
  });
});
