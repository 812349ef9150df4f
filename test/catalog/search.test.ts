import { useShop } from '../support/shop.js';
import { createProduct } from '../support/products.js';

describe('product search', () => {
  const shop = useShop();
  const ids: Record<string, string> = {};
  const names = (body: { items: Array<{ name: string }> }) => body.items.map((p) => p.name);

  beforeAll(async () => {
    for (const name of [
      'Chocolate',
      'Dark chocolate 70%',
      'Milk chocolate bar',
      'Chocolate chip cookies',
      'Hot chocolate powder',
      'Crème brûlée',
      'Greek yoghurt',
      'Strawberry yoghurt',
      'Oat milk',
      'Sourdough bread',
      'Pain au chocolat',
    ]) {
      ids[name] = (await createProduct(shop.app, shop.merchant, { name })).id;
    }
  });

  test('When the query is the exact name, then that product ranks first', async () => {
    const res = await shop.http.get('/api/v1/products?q=chocolate');
    expect(res.status).toBe(200);
    expect(names(res.body)[0]).toBe('Chocolate');
    expect(names(res.body)).toEqual(expect.arrayContaining(['Dark chocolate 70%', 'Milk chocolate bar', 'Hot chocolate powder']));
  });

  test('When the query is misspelled, then the intended products are found', async () => {
    expect(names((await shop.http.get('/api/v1/products?q=choclate')).body)).toContain('Chocolate');
    expect(names((await shop.http.get('/api/v1/products?q=yogurt')).body)).toEqual(expect.arrayContaining(['Greek yoghurt', 'Strawberry yoghurt']));
    expect(names((await shop.http.get('/api/v1/products?q=sourdouhg')).body)).toContain('Sourdough bread');
  });

  test('When the query is a substring of a word, then it matches inside names', async () => {
    expect(names((await shop.http.get('/api/v1/products?q=ourdoug')).body)).toContain('Sourdough bread');
    expect(names((await shop.http.get('/api/v1/products?q=awberr')).body)).toContain('Strawberry yoghurt');
  });

  test('When the query has accents or capitals, then it matches folded names', async () => {
    expect(names((await shop.http.get(`/api/v1/products?q=${encodeURIComponent('CREME BRULEE')}`)).body)[0]).toBe('Crème brûlée');
    expect(names((await shop.http.get(`/api/v1/products?q=${encodeURIComponent('crème')}`)).body)).toContain('Crème brûlée');
  });

  test('When the query is shorter than 3 characters, then names starting with it come back in name order', async () => {
    const res = await shop.http.get('/api/v1/products?q=oa');
    expect(names(res.body)).toEqual(['Oat milk']);
    const ch = names((await shop.http.get('/api/v1/products?q=Ch')).body);
    expect(ch).toEqual(['Chocolate', 'Chocolate chip cookies']);
  });

  test('When search pages, then every match is served exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: any } = await shop.http.get(`/api/v1/products?q=chocolate&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((p: { id: string }) => p.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([ids.Chocolate, ids['Dark chocolate 70%'], ids['Pain au chocolat']]));
  });

  test('When nothing matches, then an empty page', async () => {
    expect((await shop.http.get('/api/v1/products?q=xylophone')).body).toEqual({ items: [], nextCursor: null });
  });
});
