import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { importTransactionsCsv, MAVEN_ORDERS, mavenMenuItems, putMavenMenu } from '../support/analytics.js';
import { TEST_REDIS_URL } from '../support/test-env.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

/** The Maven file read independently of the import: one entry per line with an item. */
function mavenLines(): Array<{ order: string; date: string; hour: number; weekday: number; item: string; cents: number }> {
  const menu = new Map(mavenMenuItems().map((m) => [m.code, m]));
  const rows = readFileSync(MAVEN_ORDERS, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .slice(1);
  return rows.flatMap((row) => {
    const [, order, date, time, code] = row.split(',');
    const item = menu.get(code);
    if (!item) return [];
    const [d, m, y] = date.split('/').map(Number);
    const [clock, half] = time.split(' ');
    const hour = (Number(clock.split(':')[0]) % 12) + (half === 'PM' ? 12 : 0);
    const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    const weekday = ((new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    return [{ order, date: iso, hour, weekday, item: item.name, cents: item.priceCents }];
  });
}

function tally<T>(values: T[], key: (v: T) => string | number, amount: (v: T) => number = () => 1): Map<string | number, number> {
  const out = new Map<string | number, number>();
  for (const v of values) out.set(key(v), (out.get(key(v)) ?? 0) + amount(v));
  return out;
}

describe('menu engineering (GET /analytics/menu)', () => {
  const world = useWorld(); // role all: the import jobs run here
  const lines = mavenLines();
  let merchant: TestUser;

  beforeAll(async () => {
    merchant = await createUser(world.app, 'merchant');
    await putMavenMenu(world.app, merchant);
    await importTransactionsCsv(world.app, merchant, MAVEN_ORDERS);
  }, 60_000);

  const menu = (query = '', user: TestUser | undefined = merchant) => world.http.get(`/api/v1/analytics/menu${query}`, user?.token);

  test('When the Maven restaurant is analysed over its whole history, then units and revenue per item, totals, hours and weekdays match the file', async () => {
    const res = await menu();
    expect(res.status).toBe(200);
    const units = tally(lines, (l) => l.item);
    const revenue = tally(
      lines,
      (l) => l.item,
      (l) => l.cents,
    );
    expect(res.body.items).toHaveLength(32);
    for (const item of res.body.items) {
      expect({ item: item.item, units: item.units, revenueCents: item.revenueCents }).toEqual({
        item: item.item,
        units: units.get(item.item),
        revenueCents: revenue.get(item.item),
      });
    }
    const orders = new Set(lines.map((l) => l.order));
    expect(res.body.totals).toMatchObject({ orders: orders.size, units: lines.length, revenueCents: 15_921_790 });
    // Default food cost 30 %: the margin is 70 % of the revenue (rounded per item).
    expect(Math.abs(res.body.totals.marginCents - 0.7 * 15_921_790)).toBeLessThan(32);
    const ordersByHour = tally([...new Map(lines.map((l) => [l.order, l])).values()], (l) => l.hour);
    const revenueByWeekday = tally(
      lines,
      (l) => l.weekday,
      (l) => l.cents,
    );
    expect(res.body.byHour.map((h: { orders: number }) => h.orders)).toEqual(Array.from({ length: 24 }, (_, h) => ordersByHour.get(h) ?? 0));
    expect(res.body.byWeekday.map((w: { revenueCents: number }) => w.revenueCents)).toEqual([1, 2, 3, 4, 5, 6, 7].map((w) => revenueByWeekday.get(w) ?? 0));
  });

  test('When Shrimp Scampi is placed by hand, then it is a puzzle: rarely ordered but above the average margin', async () => {
    // 239 of 12,097 units = 1.98 %, under 70 % × 1/32 = 2.1875 %: not popular.
    // Unit margin 70 % × 19.95 = 1,396.5¢, over the weighted average 70 % × 15,921,790¢ / 12,097 = 921.3¢: profitable.
    const res = await menu();
    const scampi = res.body.items.find((i: { item: string }) => i.item === 'Shrimp Scampi');
    expect(scampi).toMatchObject({ units: 239, revenueCents: 476_805, unitMarginCents: 1396.5, quadrant: 'puzzle', category: 'Italian' });
    expect(res.body.thresholds.popularity).toBeCloseTo(0.021875, 6);
    expect(res.body.thresholds.unitMarginCents).toBeCloseTo(921.324, 2);
    expect(res.body.items.find((i: { item: string }) => i.item === 'Hamburger').quadrant).toBe('plowhorse');
    expect(res.body.items.find((i: { item: string }) => i.item === 'Korean Beef Bowl').quadrant).toBe('star');
    expect(res.body.items.find((i: { item: string }) => i.item === 'Potstickers').quadrant).toBe('dog');
  });

  test('When pairs are asked for, then the strongest pair by lift matches a count over the file', async () => {
    const res = await menu('?minSupport=0.01');
    expect(res.body.pairs.length).toBeGreaterThan(0);
    expect(res.body.pairs.length).toBeLessThanOrEqual(50);
    const baskets = new Map<string, Set<string>>();
    for (const l of lines) baskets.set(l.order, (baskets.get(l.order) ?? new Set()).add(l.item));
    const multi = [...baskets.values()].filter((b) => b.size >= 2);
    const top = res.body.pairs[0];
    const both = multi.filter((b) => b.has(top.a) && b.has(top.b)).length;
    const withA = multi.filter((b) => b.has(top.a)).length;
    const withB = multi.filter((b) => b.has(top.b)).length;
    expect(top.orders).toBe(both);
    expect(top.support).toBeCloseTo(both / multi.length, 5);
    expect(top.confidence).toBeCloseTo(both / withA, 5);
    expect(top.lift).toBeCloseTo((both * multi.length) / (withA * withB), 4);
    expect(res.body.pairs.every((p: { support: number }) => p.support >= 0.01)).toBe(true);
    const lifts = res.body.pairs.map((p: { lift: number }) => p.lift);
    expect(lifts).toEqual([...lifts].sort((a, b) => b - a));
  });

  test('When a period is given, then only its days count (both ends included)', async () => {
    const res = await menu('?from=2023-02-01&to=2023-02-28');
    const february = lines.filter((l) => l.date.startsWith('2023-02'));
    expect(res.body.totals).toMatchObject({ units: february.length, revenueCents: february.reduce((s, l) => s + l.cents, 0) });
    const day = await menu('?from=2023-03-31&to=2023-03-31');
    expect(day.body.totals.units).toBe(lines.filter((l) => l.date === '2023-03-31').length);
  });

  test('When the same analysis is asked twice, then the second is served from the cache; a new transaction drops it', async () => {
    const redis = new Redis(TEST_REDIS_URL, { keyPrefix: world.env.redisPrefix });
    try {
      await menu('?from=2023-01-01&to=2023-01-31');
      expect(await redis.hexists(`analytics:menu:${merchant.id}`, '2023-01-01|2023-01-31|0.005')).toBe(1);
      const before = await menu('?from=2023-01-01&to=2023-01-31');
      await importTransactionsCsv(world.app, merchant, 'order_id,timestamp,item,quantity,unit_price\nX1,2023-01-15T12:00:00Z,Hamburger,2,12.95\n');
      expect(await redis.exists(`analytics:menu:${merchant.id}`)).toBe(0);
      const after = await menu('?from=2023-01-01&to=2023-01-31');
      expect(after.body.totals.revenueCents).toBe(before.body.totals.revenueCents + 2590);
      expect(after.body.totals.orders).toBe(before.body.totals.orders + 1);
    } finally {
      redis.disconnect();
    }
  });

  test("When the time zone changes, then hours move with it and the item's own cost replaces the default food cost", async () => {
    const winter = '?from=2023-01-01&to=2023-03-11';
    const base = await menu(winter);
    expect((await world.http.put('/api/v1/analytics/settings', { timeZone: 'America/New_York' }, merchant.token)).status).toBe(200);
    expect((await world.http.put('/api/v1/analytics/items', { items: [{ name: 'Edamame', unitCostCents: 100 }] }, merchant.token)).status).toBe(200);
    try {
      const moved = await menu(winter);
      expect(moved.body.timeZone).toBe('America/New_York');
      // Until 12 March 2023 New York is on EST (UTC−5): every order moves five hours earlier.
      expect(moved.body.byHour.slice(0, 19).map((h: { orders: number }) => h.orders)).toEqual(
        base.body.byHour.slice(5).map((h: { orders: number }) => h.orders),
      );
      // From 12 March, EDT (UTC−4): the 11:00 UTC orders of the last weeks are at 7:00.
      const spring = lines.filter((l) => l.date >= '2023-03-12' && l.hour === 11);
      const springAt7 = await menu('?from=2023-03-12&to=2023-03-31');
      expect(springAt7.body.byHour[7].orders).toBe(new Set(spring.map((l) => l.order)).size);
      const edamame = moved.body.items.find((i: { item: string }) => i.item === 'Edamame');
      expect(edamame).toMatchObject({ costCents: edamame.units * 100, unitMarginCents: 400 });
    } finally {
      await world.http.put('/api/v1/analytics/settings', { timeZone: 'UTC' }, merchant.token);
      await world.http.put('/api/v1/analytics/items', { items: [{ name: 'Edamame', unitCostCents: null }] }, merchant.token);
    }
  });

  test('When a merchant has no transactions, then every figure is zero', async () => {
    const other = await createUser(world.app, 'merchant');
    const res = await menu('', other);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], pairs: [], totals: { orders: 0, units: 0, revenueCents: 0 } });
    expect(res.body.byHour).toHaveLength(24);
  });

  describe('refused requests', () => {
    test.each([
      ['?from=2023-03-01&to=2023-02-01', 'to'],
      ['?from=2023-02-30', 'from'],
      ['?from=yesterday', 'from'],
      ['?minSupport=2', 'minSupport'],
      ['?to=2023-01-01%27%3B%20drop%20table%20analytics_transactions%3B--', 'to'],
      ['?extra=1', 'extra'],
    ])('When the query is %s, then 422 names %s', async (query, field) => {
      const res = await menu(query);
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    });

    test('When a customer or nobody asks, then 403 / 401', async () => {
      const customer = await createUser(world.app, 'customer');
      expect((await menu('', customer)).status).toBe(403);
      expect((await world.http.get('/api/v1/analytics/menu')).status).toBe(401);
    });
  });
});
