import { randomUUID } from 'node:crypto';
import { useWorld } from '../support/world.js';
import { createUser, type TestUser } from '../support/users.js';

const world = useWorld();
const { http } = world;

function meal(date: string, salt: number, extra: Record<string, number> = {}) {
  return { clientId: randomUUID(), date, meal: 'dinner', items: [{ name: 'Stew', grams: 100, nutrition: { salt, ...extra } }] };
}

describe('daily summary against the health profile', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser(world.app, 'customer', { healthProfile: { conditions: ['low-salt'], diets: [], allergens: [] } });
  });

  test('When a low-salt profile eats 6.2 g of salt in a day, then the summary warns: salt, 6.2, limit 5 (WHO)', async () => {
    await http.post('/api/v1/diary', meal('2026-12-01', 2.5, { energyKcal: 300 }), user.token);
    await http.post('/api/v1/diary', meal('2026-12-01', 3.7, { energyKcal: 500 }), user.token);
    await http.post('/api/v1/diary', meal('2026-12-02', 9), user.token); // another day: not counted

    const res = await http.get('/api/v1/diary/summary?date=2026-12-01', user.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ date: '2026-12-01', entries: 2, totals: { salt: 6.2, energyKcal: 800 } });
    expect(res.body.warnings).toEqual([{ nutrient: 'salt', value: 6.2, limit: 5, unit: 'g', source: expect.stringContaining('WHO') }]);
    expect(res.body.limits).toEqual([{ nutrient: 'salt', limit: 5, unit: 'g', source: expect.stringContaining('WHO') }]);
  });

  test('When the day stays under the limit, then there is no warning', async () => {
    await http.post('/api/v1/diary', meal('2026-11-20', 4.9), user.token);
    expect((await http.get('/api/v1/diary/summary?date=2026-11-20', user.token)).body.warnings).toEqual([]);
  });

  test('When the profile sets its own daily salt limit, then it replaces the condition default', async () => {
    const strict = await createUser(world.app, 'customer', {
      healthProfile: { conditions: ['low-salt'], diets: [], allergens: [], dailyLimits: { saltG: 3 } } as never,
    });
    await http.post('/api/v1/diary', meal('2026-12-01', 3.5), strict.token);
    const res = await http.get('/api/v1/diary/summary?date=2026-12-01', strict.token);
    expect(res.body.warnings).toEqual([expect.objectContaining({ nutrient: 'salt', value: 3.5, limit: 3 })]);
  });

  test('When a trashed entry would pass the limit, then it does not count', async () => {
    const created = await http.post('/api/v1/diary', meal('2026-11-21', 8), user.token);
    await http.delete(`/api/v1/diary/${created.body.id}`, user.token);
    expect((await http.get('/api/v1/diary/summary?date=2026-11-21', user.token)).body).toMatchObject({ entries: 0, warnings: [] });
  });

  test('When a range is asked for, then every day is listed with its totals and warnings (empty days included)', async () => {
    const res = await http.get('/api/v1/diary/summary?from=2026-11-30&to=2026-12-02', user.token);
    expect(res.status).toBe(200);
    expect(res.body.days.map((d: any) => [d.date, d.totals.salt, d.warnings.length])).toEqual([
      ['2026-11-30', null, 0],
      ['2026-12-01', 6.2, 1],
      ['2026-12-02', 9, 1],
    ]);
  });

  test.each([
    ['nothing', '', 'from'],
    ['a date and a range', '?date=2026-12-01&from=2026-12-01&to=2026-12-02', 'date'],
    ['a reversed range', '?from=2026-12-05&to=2026-12-01', 'to'],
    ['a range of a year', '?from=2026-01-01&to=2026-12-31', 'to'],
    ['a malformed date', '?date=yesterday', 'date'],
  ])('When the query has %s, then 422 names the field', async (_, query, field) => {
    const res = await http.get(`/api/v1/diary/summary${query}`, user.token);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe(field);
  });
});

describe('offline sync', () => {
  test('When a phone syncs with its cursor, then it gets only what changed since: created, edited, trashed, restored', async () => {
    const user = await createUser(world.app);
    const a = await http.post('/api/v1/diary', meal('2026-12-01', 1), user.token);
    const b = await http.post('/api/v1/diary', meal('2026-12-01', 1), user.token);
    const full = await http.get('/api/v1/diary/changes', user.token);
    expect(full.body.items.map((i: any) => i.entry.id)).toEqual([a.body.id, b.body.id]);
    expect(full.body.hasMore).toBe(false);

    // Offline meanwhile: b edited, a trashed, c created.
    const edit = { date: '2026-12-01', meal: 'lunch', items: [{ name: 'Stew', grams: 50, nutrition: {} }], version: 1 };
    await http.put(`/api/v1/diary/${b.body.id}`, edit, user.token);
    await http.delete(`/api/v1/diary/${a.body.id}`, user.token);
    const c = await http.post('/api/v1/diary', meal('2026-12-02', 1), user.token);

    const delta = await http.get(`/api/v1/diary/changes?since=${full.body.nextCursor}`, user.token);
    expect(delta.body.items.map((i: any) => [i.entry.id, i.entry.version, i.entry.deletedAt !== null])).toEqual([
      [b.body.id, 2, false],
      [a.body.id, 1, true],
      [c.body.id, 1, false],
    ]);
    const nothing = await http.get(`/api/v1/diary/changes?since=${delta.body.nextCursor}`, user.token);
    expect(nothing.body).toEqual({ items: [], nextCursor: delta.body.nextCursor, hasMore: false });
  });

  test('When more changed than one page, then hasMore is set and the cursor continues', async () => {
    const user = await createUser(world.app);
    for (let i = 0; i < 5; i++) await http.post('/api/v1/diary', meal('2026-12-01', 1), user.token);
    const page1 = await http.get('/api/v1/diary/changes?limit=3', user.token);
    expect(page1.body.items).toHaveLength(3);
    expect(page1.body.hasMore).toBe(true);
    const page2 = await http.get(`/api/v1/diary/changes?limit=3&since=${page1.body.nextCursor}`, user.token);
    expect(page2.body.items).toHaveLength(2);
    expect(page2.body.hasMore).toBe(false);
  });

  test('When the cursor is forged, then 422 names since', async () => {
    const user = await createUser(world.app);
    const res = await http.get(`/api/v1/diary/changes?since=${Buffer.from('["x"]').toString('base64url')}`, user.token);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('since');
  });
});
