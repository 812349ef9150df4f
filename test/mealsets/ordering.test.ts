import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ManualClock } from '../../domain/shared/clock.js';
import { createLocality } from '../support/localities.js';
import { createDish, createMealSet, createRestaurant, type TestDish } from '../support/mealsets.js';
import { placeOrder, stockOf } from '../support/orders.js';
import { emitAck } from '../support/sockets.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

// 09:00 in Oslo (UTC+2 in summer); cut-off 11:00 local = 09:00Z.
const clock = new ManualClock(new Date('2027-06-10T07:00:00Z'));
const TODAY = '2027-06-10';

describe('ordering from a meal set', () => {
  const world = useWorld({ merchant: true, container: { clock } });
  const paths = (body: { errors: Array<{ path: string }> }) => body.errors.map((e) => e.path);
  const customer = (locality = 'oslo') => createUser(world.app, 'customer', { locality });
  const fresh = async (user: TestUser): Promise<TestUser> => ({
    ...user,
    token: (await world.app.container.modules.identity.tokens.sign(user.id, user.role)).token,
  });
  let inSet: TestDish;
  let sauce: TestDish;
  let outside: TestDish;
  let setId: string;
  let tomorrowId: string;
  let bergenSetId: string;

  beforeAll(async () => {
    await createLocality(world.app, { slug: 'oslo', timeZone: 'Europe/Oslo', orderCutoff: '11:00', reminderAt: '09:30' });
    await createLocality(world.app, { slug: 'bergen', timeZone: 'Europe/Oslo', orderCutoff: '11:00', reminderAt: '09:30' });
    const restaurant = await createRestaurant(world.app, world.merchant, 'oslo');
    inSet = await createDish(world.app, world.merchant, restaurant.id, { name: 'Fiskesuppe', priceCents: 1290, stock: 5 });
    outside = await createDish(world.app, world.merchant, restaurant.id, { name: 'Kjøttkaker', stock: 5 });
    sauce = await createDish(world.app, world.merchant, restaurant.id, { kind: 'addon', name: 'Rømme', priceCents: 150, stock: 100, dishIds: [inSet.id] });
    setId = (await createMealSet(world.app, 'oslo', TODAY, [inSet.id])).id;
    tomorrowId = (await createMealSet(world.app, 'oslo', '2027-06-11', [inSet.id])).id;
    bergenSetId = (await createMealSet(world.app, 'bergen', TODAY, [inSet.id])).id;
  });
  beforeEach(() => clock.set(new Date('2027-06-10T07:00:00Z')));

  test("When a customer orders today's set's dish with its add-on before the cut-off, then 201, the order remembers the set and portions are taken", async () => {
    const c = await customer();
    const res = await placeOrder(world.app, c, { mealSetId: setId, items: [{ productId: inSet.id, quantity: 1, addonIds: [sauce.id] }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mealSetId: setId, totalCents: 1440, items: [{ productId: inSet.id, addons: [{ productId: sauce.id }] }] });
    expect(await stockOf(world.app, inSet.id)).toEqual([4]);
  });

  test('When the order holds a dish outside the set, or a restaurant dish without mealSetId, then 422 naming the line and nothing is taken', async () => {
    const c = await customer();
    const before = await stockOf(world.app, inSet.id, outside.id);
    const mixed = await placeOrder(world.app, c, {
      mealSetId: setId,
      items: [
        { productId: inSet.id, quantity: 1 },
        { productId: outside.id, quantity: 1 },
      ],
    });
    expect(mixed.status).toBe(422);
    expect(mixed.body.errors).toEqual([{ path: 'items.1.productId', message: 'Not a dish of this meal set' }]);
    const loose = await placeOrder(world.app, c, { items: [{ productId: inSet.id, quantity: 1 }] });
    expect(loose.status).toBe(422);
    expect(paths(loose.body)).toEqual(['items.0.productId']);
    expect(await stockOf(world.app, inSet.id, outside.id)).toEqual(before);
  });

  test("When a customer orders from another locality's set, an unknown set, or delivers elsewhere, then 422", async () => {
    const c = await customer();
    const line = [{ productId: inSet.id, quantity: 1 }];
    expect(paths((await placeOrder(world.app, c, { mealSetId: bergenSetId, items: line })).body)).toEqual(['mealSetId']);
    expect(paths((await placeOrder(world.app, c, { mealSetId: randomUUID(), items: line })).body)).toEqual(['mealSetId']);
    const away = await placeOrder(world.app, c, {
      mealSetId: setId,
      items: line,
      deliveryAddress: { line1: 'Bryggen 1', locality: 'Bergen', lat: 60.4, lng: 5.3 },
    });
    expect(paths(away.body)).toEqual(['deliveryAddress.locality']);
    const noLocality = await createUser(world.app);
    expect(paths((await placeOrder(world.app, noLocality, { mealSetId: setId, items: line })).body)).toEqual(['mealSetId']);
    expect((await placeOrder(world.app, c, { mealSetId: 'today', items: line })).status).toBe(422);
  });

  test("When the cut-off has passed, or the set is tomorrow's, then 409 ORDERING_CLOSED and nothing is taken", async () => {
    const c = await customer();
    const line = [{ productId: inSet.id, quantity: 1 }];
    const early = await placeOrder(world.app, c, { mealSetId: tomorrowId, items: line });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'ORDERING_CLOSED', mealSetId: tomorrowId, date: '2027-06-11' });
    const before = await stockOf(world.app, inSet.id);
    clock.set(new Date('2027-06-10T09:00:00Z')); // 11:00 in Oslo
    const late = await placeOrder(world.app, await fresh(c), { mealSetId: setId, items: line });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'ORDERING_CLOSED', closesAt: '2027-06-10T09:00:00.000Z' });
    expect(await stockOf(world.app, inSet.id)).toEqual(before);
  });

  test('When order:place carries mealSetId, then the socket follows the same rules', async () => {
    const c = await customer();
    const s = await world.connect(c);
    const placed = await emitAck(s, 'order:place', { idempotencyKey: randomUUID(), mealSetId: setId, items: [{ productId: inSet.id, quantity: 1 }] });
    expect(placed).toMatchObject({ ok: true, data: { mealSetId: setId } });
    const refused = await emitAck(s, 'order:place', { idempotencyKey: randomUUID(), mealSetId: setId, items: [{ productId: outside.id, quantity: 1 }] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', errors: [{ path: 'items.0.productId' }] } });
  });

  test('When 20 customers race for the last portions of a set dish, then exactly that many orders succeed and stock ends at zero', async () => {
    const restaurant = await createRestaurant(world.app, world.merchant, 'oslo');
    const scarce = await createDish(world.app, world.merchant, restaurant.id, { name: 'Rakfisk', stock: 3 });
    const admin = await createUser(world.app, 'admin');
    const patched = await world.http.patch(`/api/v1/mealsets/${setId}`, { dishIds: [inSet.id, scarce.id] }, admin.token);
    expect(patched.status).toBe(200);
    const customers = await Promise.all(Array.from({ length: 20 }, () => customer()));
    const answers = await Promise.all(customers.map((c) => placeOrder(world.app, c, { mealSetId: setId, items: [{ productId: scarce.id, quantity: 1 }] })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'OUT_OF_STOCK')).toBe(true);
    expect(await stockOf(world.app, scarce.id)).toEqual([0]);
    const [sold] = await (world.app.container.orm.em.fork() as EntityManager).execute<Array<{ n: string }>>(
      `select coalesce(sum(quantity), 0) as n from order_items where product_id = ?`,
      [scarce.id],
    );
    expect(Number(sold.n)).toBe(3);
  });
});
