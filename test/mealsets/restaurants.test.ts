import { createLocality } from '../support/localities.js';
import { createDish, createRestaurant } from '../support/mealsets.js';
import { createProduct } from '../support/products.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

describe('restaurants and their dishes', () => {
  const world = useWorld({ merchant: true, variables: { PROCESS_ROLE: 'server' } });
  const { http } = world;
  const paths = (body: { errors: Array<{ path: string }> }) => body.errors.map((e) => e.path);
  let rival: TestUser;

  beforeAll(async () => {
    await createLocality(world.app, { slug: 'lisbon', timeZone: 'Europe/Lisbon' });
    rival = await createUser(world.app, 'merchant');
  });

  test("When a merchant creates a restaurant, then 201 with it, owned by the merchant, in the locality's time zone by default", async () => {
    const body = {
      name: 'Tasca do Zé',
      locality: 'Lisbon',
      address: { line1: 'Rua da Rosa 1', lat: 38.712, lng: -9.145 },
      openingHours: [{ day: 'mon', from: '11:30', to: '15:00' }],
    };
    const res = await http.post('/api/v1/restaurants', body, world.merchant.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, locality: 'lisbon', merchantId: world.merchant.id, timeZone: 'Europe/Lisbon', active: true });
    expect((await http.get(`/api/v1/restaurants/${res.body.id}`)).body.name).toBe('Tasca do Zé');
    const listed = await http.get('/api/v1/restaurants?locality=lisbon');
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(res.body.id);
  });

  test.each([
    ['locality', { locality: 'atlantis' }],
    ['timeZone', { timeZone: 'Nowhere/Special' }],
    ['openingHours.0.to', { openingHours: [{ day: 'mon', from: '15:00', to: '11:00' }] }],
    ['openingHours.0.day', { openingHours: [{ day: 'funday', from: '11:00', to: '15:00' }] }],
    ['address.lat', { address: { line1: 'x', lat: 123, lng: 0 } }],
    ['merchantId', { merchantId: '00000000-0000-4000-8000-000000000000' }],
    ['active', { active: false }],
  ])('When %s is invalid, then 422 naming it and nothing is created', async (field, patch) => {
    const before = (await http.get('/api/v1/restaurants?limit=100', world.merchant.token)).body.items.length;
    const res = await http.post('/api/v1/restaurants', { name: 'Bad', locality: 'lisbon', ...patch }, world.merchant.token);
    expect(res.status).toBe(422);
    expect(paths(res.body)).toEqual([field]);
    expect((await http.get('/api/v1/restaurants?limit=100', world.merchant.token)).body.items).toHaveLength(before);
  });

  test('When another merchant changes a restaurant or adds dishes to it, then 404 and it is unchanged; a customer gets 403', async () => {
    const restaurant = await createRestaurant(world.app, world.merchant, 'lisbon');
    expect((await http.patch(`/api/v1/restaurants/${restaurant.id}`, { name: 'Mine now' }, rival.token)).status).toBe(404);
    const dish = await http.post(`/api/v1/restaurants/${restaurant.id}/dishes`, { sku: 'X1', name: 'Stolen', priceCents: 1 }, rival.token);
    expect(dish.status).toBe(404);
    const customer = await createUser(world.app);
    expect((await http.patch(`/api/v1/restaurants/${restaurant.id}`, { name: 'x' }, customer.token)).status).toBe(403);
    expect((await http.get(`/api/v1/restaurants/${restaurant.id}`)).body.name).toBe('Chez Test');
  });

  test('When a restaurant is deactivated, then only its merchant still sees it', async () => {
    const restaurant = await createRestaurant(world.app, world.merchant, 'lisbon');
    expect((await http.patch(`/api/v1/restaurants/${restaurant.id}`, { active: false }, world.merchant.token)).body.active).toBe(false);
    expect((await http.get(`/api/v1/restaurants/${restaurant.id}`)).status).toBe(404);
    expect((await http.get(`/api/v1/restaurants/${restaurant.id}`, world.merchant.token)).status).toBe(200);
    const listed = await http.get('/api/v1/restaurants?locality=lisbon&limit=100');
    expect(listed.body.items.map((r: { id: string }) => r.id)).not.toContain(restaurant.id);
  });

  test('When a dish and an add-on of it are created in a restaurant, then they are catalog products of the restaurant and the add-on is linked', async () => {
    const restaurant = await createRestaurant(world.app, world.merchant, 'lisbon');
    const dish = await createDish(world.app, world.merchant, restaurant.id, { name: 'Bacalhau à Brás', stock: 12 });
    expect(dish).toMatchObject({ kind: 'dish', restaurantId: restaurant.id, merchantId: world.merchant.id, stock: 12, available: 12 });
    const addon = await createDish(world.app, world.merchant, restaurant.id, { kind: 'addon', name: 'Extra olives', priceCents: 120, dishIds: [dish.id] });
    expect(addon).toMatchObject({ kind: 'addon', restaurantId: restaurant.id });
    expect((await http.get(`/api/v1/products/${dish.id}`)).body.restaurantId).toBe(restaurant.id);
    expect((await http.get(`/api/v1/products/${dish.id}/addons`)).body).toEqual({ dishId: dish.id, addonIds: [addon.id] });
  });

  test("When an add-on names another restaurant's dish, a grocery product or a dish id twice as a dish, then 422 naming it and no product is created", async () => {
    const mine = await createRestaurant(world.app, world.merchant, 'lisbon');
    const theirs = await createRestaurant(world.app, rival, 'lisbon');
    const foreignDish = await createDish(world.app, rival, theirs.id);
    const grocery = await createProduct(world.app, world.merchant);
    const sku = 'ADDON-REFUSED';
    const res = await http.post(
      `/api/v1/restaurants/${mine.id}/dishes`,
      { sku, name: 'Sauce', priceCents: 50, kind: 'addon', dishIds: [foreignDish.id, grocery.id] },
      world.merchant.token,
    );
    expect(res.status).toBe(422);
    expect(paths(res.body)).toEqual(['dishIds.0', 'dishIds.1']);
    const listed = await http.get(`/api/v1/products?merchantId=${world.merchant.id}&kind=addon&limit=100`);
    expect(listed.body.items.map((p: { sku: string }) => p.sku)).not.toContain(sku);
    const dishWithDishIds = await http.post(
      `/api/v1/restaurants/${mine.id}/dishes`,
      { sku: 'D2', name: 'Dish', priceCents: 50, dishIds: [foreignDish.id] },
      world.merchant.token,
    );
    expect(paths(dishWithDishIds.body)).toEqual(['dishIds']);
    const groceryKind = await http.post(
      `/api/v1/restaurants/${mine.id}/dishes`,
      { sku: 'D3', name: 'Milk', priceCents: 50, kind: 'grocery' },
      world.merchant.token,
    );
    expect(paths(groceryKind.body)).toEqual(['kind']);
  });

  test('When a product is created or changed through /products, then it cannot claim a restaurant', async () => {
    const restaurant = await createRestaurant(world.app, rival, 'lisbon');
    const res = await http.post('/api/v1/products', { sku: 'SNEAK', name: 'Sneaky', priceCents: 1, restaurantId: restaurant.id }, world.merchant.token);
    expect(res.status).toBe(422);
    expect(paths(res.body)).toEqual(['restaurantId']);
  });
});
