import { randomUUID } from 'node:crypto';
import { createProduct } from '../support/products.js';
import { useShop } from '../support/shop.js';
import { createUser, type TestUser } from '../support/users.js';

const shop = useShop();
const { http } = shop;

/** A lunch entry body with the given items. */
function entryBody(items: unknown[], extra: Record<string, unknown> = {}) {
  return { clientId: randomUUID(), date: '2026-12-03', meal: 'lunch', items, ...extra };
}

async function countEntries(userId: string): Promise<number> {
  const [row] = await shop.app.container.orm.em.fork().execute<Array<{ n: string }>>(`select count(*) as n from diary_entries where user_id = ?`, [userId]);
  return Number(row.n);
}

describe('diary entries: nutrition', () => {
  test('When an entry has two products and a free item, then each item is scaled from per-100 g values and the totals are their sums', async () => {
    // By hand: bread 1.2 g salt, 250 kcal, 3 g sugars per 100 g → 150 g: 1.8 g salt, 375 kcal, 4.5 g sugars.
    // Cheese 1.7 g salt, 400 kcal, sugars unknown per 100 g → 40 g: 0.68 g salt, 160 kcal.
    // Soup (free) 0.5 g salt, 40 kcal per 100 g → 300 g: 1.5 g salt, 120 kcal. Totals: 3.98 g salt, 655 kcal, 4.5 g sugars.
    const bread = await createProduct(shop.app, shop.merchant, { name: 'Rye bread', nutrition: { salt: 1.2, energyKcal: 250, sugars: 3 } });
    const cheese = await createProduct(shop.app, shop.merchant, { name: 'Gouda', nutrition: { salt: 1.7, energyKcal: 400 } });
    const user = await createUser(shop.app);
    const res = await http.post(
      '/api/v1/diary',
      entryBody([
        { productId: bread.id, grams: 150 },
        { productId: cheese.id, grams: 40 },
        { name: 'Tomato soup', grams: 300, nutrition: { salt: 0.5, energyKcal: 40 } },
      ]),
      user.token,
    );

    expect(res.status).toBe(201);
    expect(res.body.items.map((i: any) => [i.name, i.nutrition.salt, i.nutrition.energyKcal])).toEqual([
      ['Rye bread', 1.8, 375],
      ['Gouda', 0.68, 160],
      ['Tomato soup', 1.5, 120],
    ]);
    expect(res.body.totals).toMatchObject({ salt: 3.98, energyKcal: 655, sugars: 4.5, fibre: null });
    expect(res.body).toMatchObject({ version: 1, meal: 'lunch', date: '2026-12-03', photoUrl: null, deletedAt: null });
  });

  test('When a product is edited after the entry was written, then the entry keeps the nutrition it was written with', async () => {
    const yoghurt = await createProduct(shop.app, shop.merchant, { name: 'Yoghurt', nutrition: { sugars: 10 } });
    const user = await createUser(shop.app);
    const created = await http.post('/api/v1/diary', entryBody([{ productId: yoghurt.id, grams: 200 }]), user.token);
    expect((await http.patch(`/api/v1/products/${yoghurt.id}`, { nutrition: { sugars: 2 } }, shop.merchant.token)).status).toBe(200);

    const read = await http.get(`/api/v1/diary/${created.body.id}`, user.token);
    expect(read.body.totals.sugars).toBe(20);
    expect(read.body.items[0].per100g.sugars).toBe(10);
  });
});

describe('diary entries: idempotent create', () => {
  test('When the same clientId is submitted 10 times at once, then one entry exists and every answer carries it (one 201, nine 200)', async () => {
    const user = await createUser(shop.app);
    const body = entryBody([{ name: 'Porridge', grams: 250, nutrition: { energyKcal: 70 } }], { meal: 'breakfast' });
    const results = await Promise.all(Array.from({ length: 10 }, () => http.post('/api/v1/diary', body, user.token)));

    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await countEntries(user.id)).toBe(1);
  });

  test('When two users use the same clientId, then each gets their own entry', async () => {
    const [a, b] = await Promise.all([createUser(shop.app), createUser(shop.app)]);
    const body = entryBody([{ name: 'Apple', grams: 120, nutrition: {} }]);
    const [ra, rb] = await Promise.all([http.post('/api/v1/diary', body, a.token), http.post('/api/v1/diary', body, b.token)]);
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(ra.body.id).not.toBe(rb.body.id);
  });
});

describe('diary entries: optimistic updates', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser(shop.app);
  });

  test('When an update carries the current version, then the entry is replaced at version + 1', async () => {
    const created = await http.post('/api/v1/diary', entryBody([{ name: 'Rice', grams: 100, nutrition: { energyKcal: 130 } }]), user.token);
    const res = await http.put(
      `/api/v1/diary/${created.body.id}`,
      { date: '2026-12-03', meal: 'dinner', items: [{ name: 'Rice', grams: 200, nutrition: { energyKcal: 130 } }], note: 'more', version: 1 },
      user.token,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, meal: 'dinner', note: 'more', totals: { energyKcal: 260 } });
  });

  test('When an update carries a stale version, then 409 VERSION_CONFLICT carries the current entry and nothing changes', async () => {
    const created = await http.post('/api/v1/diary', entryBody([{ name: 'Pasta', grams: 100, nutrition: {} }]), user.token);
    const edit = (note: string) => ({ date: '2026-12-03', meal: 'lunch', items: [{ name: 'Pasta', grams: 100, nutrition: {} }], note, version: 1 });
    expect((await http.put(`/api/v1/diary/${created.body.id}`, edit('phone'), user.token)).status).toBe(200);

    const stale = await http.put(`/api/v1/diary/${created.body.id}`, edit('tablet'), user.token);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', entry: { id: created.body.id, version: 2, note: 'phone' } });
    expect((await http.get(`/api/v1/diary/${created.body.id}`, user.token)).body).toMatchObject({ version: 2, note: 'phone' });
  });

  test('When 8 devices update the same version at once, then exactly one wins and the others get VERSION_CONFLICT', async () => {
    const created = await http.post('/api/v1/diary', entryBody([{ name: 'Salad', grams: 100, nutrition: {} }]), user.token);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        http.put(
          `/api/v1/diary/${created.body.id}`,
          { date: '2026-12-03', meal: 'lunch', items: [{ name: 'Salad', grams: 100 + i, nutrition: {} }], version: 1 },
          user.token,
        ),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'VERSION_CONFLICT')).toBe(true);
    expect((await http.get(`/api/v1/diary/${created.body.id}`, user.token)).body.version).toBe(2);
  });
});

describe('diary entries: privacy', () => {
  test("When a user reads, edits, deletes or restores another user's entry, then 404 as if it did not exist", async () => {
    const [owner, other] = await Promise.all([createUser(shop.app), createUser(shop.app)]);
    const created = await http.post('/api/v1/diary', entryBody([{ name: 'Secret snack', grams: 30, nutrition: {} }]), owner.token);
    const id = created.body.id;
    const edit = { date: '2026-12-03', meal: 'snack', items: [{ name: 'x', grams: 1, nutrition: {} }], version: 1 };

    expect((await http.get(`/api/v1/diary/${id}`, other.token)).status).toBe(404);
    expect((await http.put(`/api/v1/diary/${id}`, edit, other.token)).status).toBe(404);
    expect((await http.delete(`/api/v1/diary/${id}`, other.token)).status).toBe(404);
    expect((await http.post(`/api/v1/diary/${id}/restore`, {}, other.token)).status).toBe(404);
    expect((await http.request('PUT', `/api/v1/diary/${id}/photo`, { raw: Buffer.from('x'), token: other.token })).status).toBe(404);
    expect((await http.get('/api/v1/diary', other.token)).body.items).toEqual([]);
    expect((await http.get(`/api/v1/diary/${id}`, owner.token)).status).toBe(200);
  });

  test('When no token is sent, then 401', async () => {
    expect((await http.get('/api/v1/diary')).status).toBe(401);
  });
});

describe('diary entries: listing and trash', () => {
  test('When entries span several days, then the list is newest day first, pages by cursor and honours from/to', async () => {
    const user = await createUser(shop.app);
    for (const date of ['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']) {
      await http.post('/api/v1/diary', entryBody([{ name: 'Toast', grams: 50, nutrition: {} }], { date }), user.token);
    }
    const first = await http.get('/api/v1/diary?limit=2', user.token);
    expect(first.body.items.map((e: any) => e.date)).toEqual(['2026-12-02', '2026-12-01']);
    const second = await http.get(`/api/v1/diary?limit=2&cursor=${first.body.nextCursor}`, user.token);
    expect(second.body.items.map((e: any) => e.date)).toEqual(['2026-11-30', '2026-11-29']);
    const ranged = await http.get('/api/v1/diary?from=2026-11-29&to=2026-11-30', user.token);
    expect(ranged.body.items.map((e: any) => e.date)).toEqual(['2026-11-30', '2026-11-29']);
    expect(ranged.body.nextCursor).toBeNull();
  });

  test('When an entry is deleted, then it leaves the list for the trash, and restore brings it back', async () => {
    const user = await createUser(shop.app);
    const created = await http.post('/api/v1/diary', entryBody([{ name: 'Cake', grams: 80, nutrition: {} }]), user.token);
    expect((await http.delete(`/api/v1/diary/${created.body.id}`, user.token)).status).toBe(204);
    expect((await http.get('/api/v1/diary', user.token)).body.items).toEqual([]);
    const trash = await http.get('/api/v1/diary/trash', user.token);
    expect(trash.body.items).toHaveLength(1);
    expect(trash.body.items[0]).toMatchObject({ id: created.body.id, deletedAt: expect.any(String), purgeAt: expect.any(String) });
    expect(Date.parse(trash.body.items[0].purgeAt) - Date.parse(trash.body.items[0].deletedAt)).toBe(30 * 24 * 3600_000);

    const edit = { date: '2026-12-03', meal: 'lunch', items: [{ name: 'Cake', grams: 1, nutrition: {} }], version: 1 };
    expect((await http.put(`/api/v1/diary/${created.body.id}`, edit, user.token)).body.code).toBe('CONFLICT');

    const restored = await http.post(`/api/v1/diary/${created.body.id}/restore`, {}, user.token);
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeNull();
    expect((await http.get('/api/v1/diary', user.token)).body.items).toHaveLength(1);
    expect((await http.get('/api/v1/diary/trash', user.token)).body.items).toEqual([]);
  });
});

describe('diary entries: hostile input', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser(shop.app);
  });

  test.each([
    ['no clientId', { date: '2026-12-03', meal: 'lunch', items: [{ name: 'a', grams: 1, nutrition: {} }] }, 'clientId'],
    ['a clientId that is not a uuid', entryBody([{ name: 'a', grams: 1, nutrition: {} }], { clientId: 'abc' }), 'clientId'],
    ['a bad date', entryBody([{ name: 'a', grams: 1, nutrition: {} }], { date: '2026-13-45' }), 'date'],
    ['an unknown meal', entryBody([{ name: 'a', grams: 1, nutrition: {} }], { meal: 'brunch' }), 'meal'],
    ['no items', entryBody([]), 'items'],
    ['negative grams', entryBody([{ name: 'a', grams: -5, nutrition: {} }]), 'items.0'],
    ['more salt than food', entryBody([{ name: 'a', grams: 10, nutrition: { salt: 150 } }]), 'items.0'],
    ['a note of 2,001 characters', entryBody([{ name: 'a', grams: 1, nutrition: {} }], { note: 'n'.repeat(2001) }), 'note'],
    ['an unknown field', entryBody([{ name: 'a', grams: 1, nutrition: {} }], { totals: { salt: 0 } }), 'totals'],
    ['an unknown product', entryBody([{ productId: randomUUID(), grams: 10 }]), 'items.0.productId'],
  ])('When the body has %s, then 422 names the field and nothing is stored', async (_, body, field) => {
    const res = await http.post('/api/v1/diary', body, user.token);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path).join(' ')).toContain(field);
    expect(await countEntries(user.id)).toBe(0);
  });

  test('When the id in the path is not a uuid, then 422 names it', async () => {
    const res = await http.get('/api/v1/diary/not-an-id', user.token);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('id');
  });

  test('When a forged cursor is sent, then 422 names the cursor', async () => {
    const res = await http.get(`/api/v1/diary?cursor=${Buffer.from('["x", 1, 2]').toString('base64url')}`, user.token);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('cursor');
  });
});
