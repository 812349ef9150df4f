import { createUser, type TestUser } from '../support/users.js';
import { createProduct, type TestProduct } from '../support/products.js';
import { nextEvent } from '../support/sockets.js';
import { advance, placeOrder, stockOf } from '../support/orders.js';
import { useWorld } from '../support/world.js';

type Actor = 'customer' | 'merchant' | 'otherMerchant' | 'driver' | 'admin';
const PATH = ['placed', 'confirmed', 'preparing', 'ready', 'out_for_delivery', 'delivered'] as const;
type Status = (typeof PATH)[number] | 'cancelled';

/** Who may make each legal move (admin: any legal move). Everything else is 403 or 409. */
const LEGAL: Record<string, Actor[]> = {
  'placed>confirmed': ['merchant', 'admin'],
  'confirmed>preparing': ['merchant', 'admin'],
  'preparing>ready': ['merchant', 'admin'],
  'ready>out_for_delivery': ['driver', 'admin'],
  'out_for_delivery>delivered': ['driver', 'admin'],
  'placed>cancelled': ['customer', 'merchant', 'admin'],
  'confirmed>cancelled': ['customer', 'merchant', 'admin'],
  'preparing>cancelled': ['merchant', 'admin'],
  'ready>cancelled': ['merchant', 'admin'],
  'out_for_delivery>cancelled': ['merchant', 'admin'],
};

describe('order status machine', () => {
  const world = useWorld();
  let users: Record<Actor, TestUser>;
  let product: TestProduct;

  beforeAll(async () => {
    users = {
      customer: await createUser(world.app),
      merchant: await createUser(world.app, 'merchant'),
      otherMerchant: await createUser(world.app, 'merchant'),
      driver: await createUser(world.app, 'driver'),
      admin: await createUser(world.app, 'admin'),
    };
    product = await createProduct(world.app, users.merchant, { stock: 1000 });
  });

  /** An order in `status`, with the test driver assigned to it (so the driver is a party throughout). */
  async function orderIn(status: Status): Promise<string> {
    const placed = await placeOrder(world.app, users.customer, { items: [{ productId: product.id, quantity: 1 }] });
    const id = placed.body.id as string;
    await world.app.container.orm.em.fork().execute(`update orders set driver_id = ? where id = ?`, [users.driver.id, id]);
    const steps = status === 'cancelled' ? [] : PATH.slice(1, PATH.indexOf(status) + 1);
    for (const step of steps) await advance(world.app, id, [[users.admin, step]]);
    if (status === 'cancelled') await advance(world.app, id, [[users.admin, 'cancelled']]);
    return id;
  }

  const ALL: Status[] = [...PATH, 'cancelled'];
  const ACTORS: Actor[] = ['customer', 'merchant', 'otherMerchant', 'driver', 'admin'];
  const cases: Array<[Status, Status, Actor]> = [];
  for (const from of ALL) for (const to of ALL) for (const actor of ACTORS) if (from !== to) cases.push([from, to, actor]);

  test('Every move by every role answers as the transition table says', async () => {
    const failures: string[] = [];
    const byFrom = new Map<Status, string>();
    for (const [from, to, actor] of cases) {
      const legal = LEGAL[`${from}>${to}`];
      // A successful move consumes the order; illegal and forbidden moves leave it as it was.
      const orderId = legal?.includes(actor) ? await orderIn(from) : (byFrom.get(from) ?? byFrom.set(from, await orderIn(from)).get(from)!);
      const res = await world.http.post(`/api/v1/orders/${orderId}/status`, { status: to }, users[actor].token);
      // A merchant with no product in the order cannot see it at all: 404 whatever the move.
      const expected = actor === 'otherMerchant' ? [404] : !legal ? [409] : legal.includes(actor) ? [200] : [403];
      if (!expected.includes(res.status)) failures.push(`${actor} ${from}→${to}: ${res.status} ${res.body.code ?? ''}, expected ${expected}`);
      if (res.status === 409 && res.body.code !== 'INVALID_TRANSITION') failures.push(`${actor} ${from}→${to}: 409 ${res.body.code}`);
      if (res.status === 200) expect(res.body.history.map((h: { status: string }) => h.status).slice(-1)).toEqual([to]);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  test('When an order is cancelled, then its stock returns to the database and to availability', async () => {
    const item = await createProduct(world.app, users.merchant, { stock: 8 });
    const placed = await placeOrder(world.app, users.customer, { items: [{ productId: item.id, quantity: 5 }] });
    expect(await stockOf(world.app, item.id)).toEqual([3]);

    const cancelled = await world.http.post(`/api/v1/orders/${placed.body.id}/cancel`, undefined, users.customer.token);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.history.map((h: { status: string; by: string }) => [h.status, h.by])).toEqual([
      ['placed', users.customer.id],
      ['cancelled', users.customer.id],
    ]);
    expect(await stockOf(world.app, item.id)).toEqual([8]);
    expect((await world.app.container.modules.inventory.available([item.id])).get(item.id)).toBe(8);
    const again = await world.http.post(`/api/v1/orders/${placed.body.id}/cancel`, undefined, users.customer.token);
    expect(again.status).toBe(409);
    expect(await stockOf(world.app, item.id)).toEqual([8]);
  });

  test('When a customer and the merchant cancel the same order at once, then the stock returns exactly once', async () => {
    const item = await createProduct(world.app, users.merchant, { stock: 10 });
    const placed = await placeOrder(world.app, users.customer, { items: [{ productId: item.id, quantity: 4 }] });
    const results = await Promise.all(
      [users.customer, users.merchant, users.admin, users.customer].map((u) => world.http.post(`/api/v1/orders/${placed.body.id}/cancel`, undefined, u.token)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect(await stockOf(world.app, item.id)).toEqual([10]);
  });

  test('When the merchant moves an order, then the customer connected to another instance gets order:updated', async () => {
    const second = await world.start();
    const socket = await world.connect(users.customer, second);
    try {
      const placed = await placeOrder(world.app, users.customer, { items: [{ productId: product.id, quantity: 1 }] });
      const pushed = nextEvent(socket, 'order:updated', 5_000, (p: { order: { status: string } }) => p.order.status === 'confirmed');
      await advance(world.app, placed.body.id, [[users.merchant, 'confirmed']]);
      expect((await pushed).order).toMatchObject({ id: placed.body.id, status: 'confirmed' });
    } finally {
      await world.stop(second);
    }
  });

  test("Order history lists own orders newest first with a cursor, and hides others' orders", async () => {
    const shopper = await createUser(world.app);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await placeOrder(world.app, shopper, { items: [{ productId: product.id, quantity: 1 }] })).body.id);
    const http = world.http;
    const first = await http.get('/api/v1/orders?limit=3', shopper.token);
    const second = await http.get(`/api/v1/orders?limit=3&cursor=${first.body.nextCursor}`, shopper.token);
    expect([...first.body.items, ...second.body.items].map((o: { id: string }) => o.id)).toEqual(ids.reverse());
    expect(second.body.nextCursor).toBeNull();

    const merchantView = await http.get('/api/v1/orders?limit=100', users.merchant.token);
    expect(merchantView.body.items.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining(ids));
    expect((await http.get('/api/v1/orders?limit=100', users.otherMerchant.token)).body.items).toEqual([]);
    expect((await http.get(`/api/v1/orders/${ids[0]}`, users.otherMerchant.token)).status).toBe(404);
    expect((await http.get(`/api/v1/orders/${ids[0]}`, users.customer.token)).status).toBe(404);
    expect((await http.get(`/api/v1/orders/${ids[0]}`, shopper.token)).status).toBe(200);
    expect((await http.get('/api/v1/orders?cursor=garbage', shopper.token)).status).toBe(422);
  });
});
