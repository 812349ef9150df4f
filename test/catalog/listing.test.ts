import { useShop } from '../support/shop.js';
import { createUser, type TestUser } from '../support/users.js';
import { createProduct } from '../support/products.js';

describe('product listing', () => {
  const shop = useShop();
  let shopper: TestUser;
  const originals = new Set<string>();

  beforeAll(async () => {
    shopper = await createUser(shop.app, 'customer');
    for (let i = 0; i < 40; i++) {
      // Repeated prices and names so the id tie-break matters.
      const p = await createProduct(shop.app, shop.merchant, {
        name: `Page item ${i % 5}`,
        priceCents: 100 + (i % 4) * 50,
        category: i % 2 ? 'dairy' : 'bakery',
        stock: i % 3,
      });
      originals.add(p.id);
    }
  });

  async function walk(query: string, limit = 7): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const res: { status: number; body: any } = await shop.http.get(
        `/api/v1/products?merchantId=${shop.merchant.id}&limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((p: { id: string }) => p.id));
      cursor = res.body.nextCursor;
      // Writers keep inserting rows that sort anywhere (cheap, dear, early and late names) between pages.
      await Promise.all([
        createProduct(shop.app, shop.merchant, { name: `Aaa new ${inserted}`, priceCents: 1 }),
        createProduct(shop.app, shop.merchant, { name: `Zzz new ${inserted}`, priceCents: 999 }),
        createProduct(shop.app, shop.merchant, { name: `Page item new ${inserted++}`, priceCents: 150 }),
      ]);
    } while (cursor);
    return seen;
  }

  test.each(['sort=newest', 'sort=name', 'sort=price', 'sort=-price', 'q=page'])(
    'When rows are inserted between pages (%s), then every original row is served exactly once',
    async (query) => {
      const seen = await walk(query);
      expect(new Set(seen).size).toBe(seen.length); // no duplicates
      for (const id of originals) expect(seen).toContain(id);
    },
  );

  test('When sorting by price, then pages come in price order', async () => {
    const res = await shop.http.get(`/api/v1/products?merchantId=${shop.merchant.id}&sort=-price&limit=50`);
    const prices = res.body.items.map((p: { priceCents: number }) => p.priceCents);
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
  });

  test('When filtering, then only matching products come back', async () => {
    const res = await shop.http.get(
      `/api/v1/products?merchantId=${shop.merchant.id}&category=dairy&minPriceCents=150&maxPriceCents=200&inStock=true&limit=100`,
    );
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const p of res.body.items) {
      expect(p.category).toBe('dairy');
      expect(p.priceCents).toBeGreaterThanOrEqual(150);
      expect(p.priceCents).toBeLessThanOrEqual(200);
      expect(p.stock).toBeGreaterThan(0);
    }
  });

  test('When filtering by kind and label, then only those come back', async () => {
    const dish = await createProduct(shop.app, shop.merchant, { kind: 'dish', labels: ['halal', 'spicy'], name: 'Lamb tagine' });
    const res = await shop.http.get(`/api/v1/products?kind=dish&label=halal`);
    expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([dish.id]);
  });

  test('When suitable=true, then products the profile must avoid are left out', async () => {
    const m = await createUser(shop.app, 'merchant');
    const salty = await createProduct(shop.app, m, { name: 'Salty crisps', nutrition: { salt: 2.1 }, ingredients: 'potatoes, sunflower oil, salt' });
    const bland = await createProduct(shop.app, m, { name: 'Plain rice cakes', nutrition: { salt: 0.1 }, ingredients: 'rice' });
    const pork = await createProduct(shop.app, m, { name: 'Pork sausages', nutrition: { salt: 0.2 }, ingredients: 'Viande de porc 90%, sel' });
    const user = await createUser(shop.app, 'customer', { healthProfile: { conditions: ['low-salt'], diets: ['halal'], allergens: [] } });
    const res = await shop.http.get(`/api/v1/products?merchantId=${m.id}&suitable=true`, user.token);
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([bland.id]);
    expect([salty.id, pork.id]).not.toContain(res.body.items[0].id);
    expect((await shop.http.get(`/api/v1/products?suitable=true`)).status).toBe(401);
  });

  test('When listing categories, then each has a name and a count', async () => {
    const res = await shop.http.get('/api/v1/categories', shopper.token);
    expect(res.status).toBe(200);
    const dairy = res.body.find((c: { slug: string }) => c.slug === 'dairy');
    expect(dairy).toMatchObject({ slug: 'dairy', name: 'Dairy' });
    expect(dairy.productCount).toBeGreaterThanOrEqual(20);
  });
});
