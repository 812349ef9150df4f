import type { EntityManager } from '@mikro-orm/postgresql';
import { ManualClock } from '../../domain/shared/clock.js';
import { adminOf, createLocality } from '../support/localities.js';
import { createDish, createMealSet, createRestaurant, postMealSet, type TestDish, type TestRestaurant } from '../support/mealsets.js';
import { createProduct } from '../support/products.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

// 08:00 in Lisbon (UTC+1 in summer); the locality's cut-off is 11:30 local.
const clock = new ManualClock(new Date('2027-06-10T07:00:00Z'));
const TODAY = '2027-06-10';

describe('meal sets', () => {
  const world = useWorld({ merchant: true, container: { clock }, variables: { PROCESS_ROLE: 'server' } });
  const { http } = world;
  const paths = (body: { errors: Array<{ path: string }> }) => body.errors.map((e) => e.path);
  const setRows = (locality: string, date: string) =>
    (world.app.container.orm.em.fork() as EntityManager).execute(`select id from meal_sets where locality = ? and date = ?`, [locality, date]);
  let restaurant: TestRestaurant;
  let dishes: TestDish[];
  let day = 0;
  /** A date of its own for each test (sets are unique per locality and date). */
  const nextDate = () => `2027-07-${String(++day).padStart(2, '0')}`;

  beforeAll(async () => {
    await createLocality(world.app, { slug: 'lisbon', timeZone: 'Europe/Lisbon', orderCutoff: '11:30', reminderAt: '10:00' });
    restaurant = await createRestaurant(world.app, world.merchant, 'lisbon');
    dishes = [];
    for (let i = 0; i < 6; i++) dishes.push(await createDish(world.app, world.merchant, restaurant.id, { name: `Dish ${i}`, stock: 10 + i }));
  });
  beforeEach(() => clock.set(new Date('2027-06-10T07:00:00Z')));

  test("When an admin composes a set, then 201 with its dishes' live portions, prices, restaurant and add-ons; GET finds it by locality and date", async () => {
    const addon = await createDish(world.app, world.merchant, restaurant.id, { kind: 'addon', name: 'Chili oil', priceCents: 90, dishIds: [dishes[0].id] });
    const res = await postMealSet(world.app, { locality: 'lisbon', date: TODAY, dishIds: [dishes[0].id, dishes[1].id] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      locality: 'lisbon',
      date: TODAY,
      orderCutoff: '11:30',
      closesAt: '2027-06-10T10:30:00.000Z',
      orderingOpen: true,
      dishes: [
        { id: dishes[0].id, priceCents: 850, available: 10, restaurant: { id: restaurant.id, name: 'Chez Test' }, addons: [{ id: addon.id, priceCents: 90 }] },
        { id: dishes[1].id, available: 11, addons: [] },
      ],
    });
    const customer = await createUser(world.app, 'customer', { locality: 'lisbon' });
    const found = await http.get('/api/v1/mealsets', customer.token); // the caller's locality, today there
    expect(found.status).toBe(200);
    expect(found.body.id).toBe(res.body.id);
    expect((await http.get(`/api/v1/mealsets?locality=lisbon&date=${TODAY}`)).body.id).toBe(res.body.id);
    expect((await http.get(`/api/v1/mealsets/${res.body.id}`)).body.dishes).toHaveLength(2);
    expect((await http.get('/api/v1/mealsets?locality=lisbon&date=2027-06-11')).status).toBe(404);
  });

  test('When a set has six dishes, the same dish twice or none, then 422 naming dishIds and nothing is stored', async () => {
    const date = nextDate();
    const six = await postMealSet(world.app, { locality: 'lisbon', date, dishIds: dishes.map((d) => d.id) });
    expect(six.status).toBe(422);
    expect(paths(six.body)).toEqual(['dishIds']);
    const twice = await postMealSet(world.app, { locality: 'lisbon', date, dishIds: [dishes[0].id, dishes[0].id] });
    expect(paths(twice.body)).toEqual(['dishIds.1']);
    expect(paths((await postMealSet(world.app, { locality: 'lisbon', date, dishIds: [] })).body)).toEqual(['dishIds']);
    expect((await http.get(`/api/v1/mealsets?locality=lisbon&date=${date}`)).status).toBe(404);
  });

  test('When a set names an add-on, a grocery product, an unknown id or a dish of an inactive restaurant, then 422 naming each', async () => {
    const closed = await createRestaurant(world.app, world.merchant, 'lisbon');
    const closedDish = await createDish(world.app, world.merchant, closed.id);
    await http.patch(`/api/v1/restaurants/${closed.id}`, { active: false }, world.merchant.token);
    const addon = await createDish(world.app, world.merchant, restaurant.id, { kind: 'addon', dishIds: [dishes[0].id] });
    const grocery = await createProduct(world.app, world.merchant);
    const loose = await createProduct(world.app, world.merchant, { kind: 'dish' }); // a dish of no restaurant
    const dishIds = [dishes[0].id, addon.id, grocery.id, '00000000-0000-4000-8000-000000000000', closedDish.id];
    const res = await postMealSet(world.app, { locality: 'lisbon', date: nextDate(), dishIds });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: 'dishIds.1', message: 'Not a dish (kind addon)' },
      { path: 'dishIds.2', message: 'Not a dish (kind grocery)' },
      { path: 'dishIds.3', message: 'Unknown or inactive product' },
      { path: 'dishIds.4', message: 'Its restaurant is inactive' },
    ]);
    expect(paths((await postMealSet(world.app, { locality: 'lisbon', date: nextDate(), dishIds: [loose.id] })).body)).toEqual(['dishIds.0']);
  });

  test('When two admins create the set of the same locality and date at once, then one gets 201, the other 409, and one set exists', async () => {
    const other = await createUser(world.app, 'admin');
    const date = nextDate();
    const body = { locality: 'lisbon', date, dishIds: [dishes[2].id] };
    const answers = await Promise.all([
      postMealSet(world.app, body),
      http.post('/api/v1/mealsets', { ...body, dishIds: [dishes[3].id] }, other.token),
      postMealSet(world.app, body),
      http.post('/api/v1/mealsets', body, other.token),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    expect(answers.find((a) => a.status === 409)!.body.code).toBe('CONFLICT');
    expect(await setRows('lisbon', date)).toEqual([{ id: answers.find((a) => a.status === 201)!.body.id }]);
  });

  test('When an admin changes the dishes before the cut-off, then 200; at and after the cut-off, 409 and the set is unchanged', async () => {
    const set = await createMealSet(world.app, 'lisbon', '2027-06-12', [dishes[0].id]);
    clock.set(new Date('2027-06-12T10:29:00Z')); // 11:29 in Lisbon
    const admin = await adminOf(world.app);
    const changed = await http.patch(`/api/v1/mealsets/${set.id}`, { dishIds: [dishes[4].id, dishes[5].id] }, admin.token);
    expect(changed.status).toBe(200);
    expect(changed.body.dishes.map((d: { id: string }) => d.id)).toEqual([dishes[4].id, dishes[5].id]);
    clock.set(new Date('2027-06-12T10:30:00Z')); // 11:30: the cut-off
    const late = await http.patch(`/api/v1/mealsets/${set.id}`, { dishIds: [dishes[0].id] }, admin.token);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'CONFLICT', closesAt: '2027-06-12T10:30:00.000Z' });
    expect((await http.get(`/api/v1/mealsets/${set.id}`)).body).toMatchObject({ orderingOpen: false, dishes: [{ id: dishes[4].id }, { id: dishes[5].id }] });
    const forPast = await postMealSet(world.app, { locality: 'lisbon', date: '2027-06-11', dishIds: [dishes[0].id] });
    expect(forPast.status).toBe(409);
  });

  test('When a merchant or customer writes meal sets, or the input is hostile, then 403 / 422 and nothing changes', async () => {
    const set = await createMealSet(world.app, 'lisbon', nextDate(), [dishes[0].id]);
    const merchantTry = await http.post('/api/v1/mealsets', { locality: 'lisbon', date: nextDate(), dishIds: [dishes[0].id] }, world.merchant.token);
    expect(merchantTry.status).toBe(403);
    expect((await http.patch(`/api/v1/mealsets/${set.id}`, { dishIds: [dishes[1].id] }, world.merchant.token)).status).toBe(403);
    const admin = await adminOf(world.app);
    for (const [body, path] of [
      [{ locality: 'lisbon', date: '2027-02-30', dishIds: [dishes[0].id] }, 'date'],
      [{ locality: 'atlantis', date: nextDate(), dishIds: [dishes[0].id] }, 'locality'],
      [{ locality: 'lisbon', date: nextDate(), dishIds: ['not-a-uuid'] }, 'dishIds.0'],
      [{ locality: 'lisbon', date: nextDate(), dishIds: [dishes[0].id], extra: 1 }, 'extra'],
    ] as const) {
      const res = await http.post('/api/v1/mealsets', body, admin.token);
      expect({ status: res.status, paths: paths(res.body) }).toEqual({ status: 422, paths: [path] });
    }
    expect((await http.patch('/api/v1/mealsets/not-a-uuid', { dishIds: [dishes[0].id] }, admin.token)).status).toBe(422);
    for (const query of ['date=2027-13-01', 'locality=NOT%20A%20SLUG', 'locality=lisbon&extra=1']) {
      expect((await http.get(`/api/v1/mealsets?${query}`)).status).toBe(422);
    }
    expect(paths((await http.get('/api/v1/mealsets')).body)).toEqual(['locality']); // anonymous, no locality named
    expect((await http.get(`/api/v1/mealsets/${set.id}`)).body.dishes.map((d: { id: string }) => d.id)).toEqual([dishes[0].id]);
  });
});
