import { createProduct } from '../support/products.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

describe('analytics settings and the item dictionary', () => {
  const world = useWorld({ variables: { PROCESS_ROLE: 'server' } });
  const items = (token: string, body: unknown) => world.http.put('/api/v1/analytics/items', body, token);

  describe('settings', () => {
    test('When nothing was set, then the analyses use UTC and a 30 % food cost; a PUT changes what it names', async () => {
      const merchant = await createUser(world.app, 'merchant');
      expect((await world.http.get('/api/v1/analytics/settings', merchant.token)).body).toEqual({ timeZone: 'UTC', defaultFoodCostPct: 30 });
      const put = await world.http.put('/api/v1/analytics/settings', { defaultFoodCostPct: 32.5 }, merchant.token);
      expect(put.body).toEqual({ timeZone: 'UTC', defaultFoodCostPct: 32.5 });
      await world.http.put('/api/v1/analytics/settings', { timeZone: 'Asia/Singapore' }, merchant.token);
      expect((await world.http.get('/api/v1/analytics/settings', merchant.token)).body).toEqual({ timeZone: 'Asia/Singapore', defaultFoodCostPct: 32.5 });
    });

    test.each([
      [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      [{ timeZone: "UTC'; drop table users; --" }, 'timeZone'],
      [{ defaultFoodCostPct: 101 }, 'defaultFoodCostPct'],
      [{ defaultFoodCostPct: '30' }, 'defaultFoodCostPct'],
      [{ currency: 'EUR' }, 'currency'],
    ])('When the settings body is %j, then 422 names %s and nothing changes', async (body, field) => {
      const merchant = await createUser(world.app, 'merchant');
      const res = await world.http.put('/api/v1/analytics/settings', body, merchant.token);
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
      expect((await world.http.get('/api/v1/analytics/settings', merchant.token)).body).toEqual({ timeZone: 'UTC', defaultFoodCostPct: 30 });
    });
  });

  describe('items', () => {
    test('When items are put, then given fields are set, absent ones kept and null ones cleared; the own catalog product may be linked', async () => {
      const merchant = await createUser(world.app, 'merchant');
      const product = await createProduct(world.app, merchant, { kind: 'dish', name: 'Pho' });
      await items(merchant.token, { items: [{ name: 'Pho', category: 'Soups', code: 'P1', priceCents: 1200, unitCostCents: 350, productId: product.id }] });
      const res = await items(merchant.token, { items: [{ name: 'Pho', priceCents: 1300, code: null }, { name: 'Spring rolls' }] });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        { name: 'Pho', category: 'Soups', code: null, priceCents: 1300, unitCostCents: 350, productId: product.id },
        { name: 'Spring rolls', category: null, code: null, priceCents: null, unitCostCents: null, productId: null },
      ]);
    });

    test("When an item names another merchant's product, then 422 names its productId", async () => {
      const [merchant, other] = [await createUser(world.app, 'merchant'), await createUser(world.app, 'merchant')];
      const theirs = await createProduct(world.app, other, { kind: 'dish' });
      const res = await items(merchant.token, { items: [{ name: 'Pho' }, { name: 'Bun', productId: theirs.id }] });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ path: 'items.1.productId', message: 'is not one of your products' }]);
      expect((await world.http.get('/api/v1/analytics/items', merchant.token)).body.items).toEqual([]);
    });

    test('When a code already names another item, then 409 names the field; giving the code up in the same request frees it', async () => {
      const merchant = await createUser(world.app, 'merchant');
      await items(merchant.token, { items: [{ name: 'Pho', code: '101' }] });
      const clash = await items(merchant.token, { items: [{ name: 'Bun', code: '101' }] });
      expect(clash.status).toBe(409);
      expect(clash.body.errors).toEqual([{ path: 'items.0.code', message: 'already names "Pho"' }]);
      const moved = await items(merchant.token, {
        items: [
          { name: 'Pho', code: null },
          { name: 'Bun', code: '101' },
        ],
      });
      expect(moved.status).toBe(200);
      expect(moved.body.items.map((i: { name: string; code: string | null }) => [i.name, i.code])).toEqual([
        ['Bun', '101'],
        ['Pho', null],
      ]);
    });

    test.each([
      [{ items: [] }, 'items'],
      [{ items: [{ name: 'Pho' }, { name: 'Pho' }] }, 'items.1.name'],
      [
        {
          items: [
            { name: 'A', code: 'X' },
            { name: 'B', code: 'X' },
          ],
        },
        'items.1.code',
      ],
      [{ items: [{ name: '' }] }, 'items.0.name'],
      [{ items: [{ name: 'Pho\u0000' }] }, 'items.0.name'],
      [{ items: [{ name: 'Pho', priceCents: -1 }] }, 'items.0.priceCents'],
      [{ items: [{ name: 'Pho', unitCostCents: 1.5 }] }, 'items.0.unitCostCents'],
      [{ items: [{ name: 'Pho', productId: 'not-a-uuid' }] }, 'items.0.productId'],
      [{ items: [{ name: 'Pho', merchantId: 'x' }] }, 'items.0.merchantId'],
    ])('When the items body is %j, then 422 names %s', async (body, field) => {
      const merchant = await createUser(world.app, 'merchant');
      const res = await items(merchant.token, body);
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    });

    test('When a customer touches analytics, then 403', async () => {
      const customer = await createUser(world.app, 'customer');
      expect((await world.http.get('/api/v1/analytics/settings', customer.token)).status).toBe(403);
      expect((await items(customer.token, { items: [{ name: 'Pho' }] })).status).toBe(403);
    });
  });
});
