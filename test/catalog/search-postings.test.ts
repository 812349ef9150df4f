import type { EntityManager } from '@mikro-orm/postgresql';
import { shortestName } from '../../domain/catalog/listing/search-sql.js';
import { createProduct } from '../support/products.js';
import { useShop } from '../support/shop.js';

describe('shortestName', () => {
  test('When the expansions share no word, then a name must hold one word of each side by side', () => {
    expect(
      shortestName([
        ['noir', 'noire'],
        ['chocolat', 'choco'],
      ]),
    ).toBe(4 + 1 + 5);
  });

  test('When one word stands in two expansions, then one name word may match both', () => {
    expect(
      shortestName([
        ['peanut', 'peanutbutter'],
        ['butter', 'peanutbutter'],
      ]),
    ).toBe(6);
  });
});

describe('search postings', () => {
  const shop = useShop();
  const em = () => shop.app.container.orm.em.fork() as EntityManager;
  const postings = async (productId: string) =>
    (
      await em().execute<Array<{ word: string; name_len: number }>>('select word, name_len from product_search_postings where product_id = ? order by word', [
        productId,
      ])
    ).map((r) => `${r.word}/${r.name_len}`);
  const search = async (query: string) => (await shop.http.get(`/api/v1/products?${query}`)).body.items.map((p: { name: string }) => p.name) as string[];

  test('When a product is created, renamed and deleted, then its postings follow its name and only its name', async () => {
    const p = await createProduct(shop.app, shop.merchant, { name: 'Zorbo crisps' });
    expect(await postings(p.id)).toEqual(['crisps/12', 'zorbo/12']);
    await shop.http.patch(`/api/v1/products/${p.id}`, { priceCents: 999, stock: 3 }, shop.merchant.token);
    expect(await postings(p.id)).toEqual(['crisps/12', 'zorbo/12']);
    await shop.http.patch(`/api/v1/products/${p.id}`, { name: 'Quibble chips chips' }, shop.merchant.token);
    expect(await postings(p.id)).toEqual(['chips/19', 'quibble/19']);
    expect(await search('q=zorbo')).toEqual([]);
    expect(await search('q=quibble')).toEqual(['Quibble chips chips']);
    expect((await shop.http.delete(`/api/v1/products/${p.id}`, shop.merchant.token)).status).toBe(204);
    expect(await postings(p.id)).toEqual([]);
  });

  describe('with more products holding a word than the postings budget', () => {
    beforeAll(async () => {
      // 300 "Blorp tart N" (rows written by SQL fire the same statement triggers as the API's).
      await em().execute(
        `insert into products (id, merchant_id, sku, name, price_cents, category)
           select gen_random_uuid(), ?, 'BULK-' || i, 'Blorp tart ' || i, 100, 'bakery' from generate_series(1, 300) i`,
        [shop.merchant.id],
      );
      await createProduct(shop.app, shop.merchant, { name: 'Blorp tart with a very long name and custard', category: 'rare-find' });
      await createProduct(shop.app, shop.merchant, { name: 'Blorp', category: 'bakery' });
    });

    test('When a word is common, then the shortest names holding it rank first', async () => {
      const names = await search('q=blorp&limit=5');
      expect(names[0]).toBe('Blorp');
      expect(names.slice(1)).toEqual([
        expect.stringMatching(/^Blorp tart \d$/),
        expect.stringMatching(/^Blorp tart \d$/),
        expect.stringMatching(/^Blorp tart \d$/),
        expect.stringMatching(/^Blorp tart \d$/),
      ]);
    });

    test('When the filter holds only for a product past the budget, then the index finds it anyway', async () => {
      expect(await search('q=blorp&category=rare-find')).toEqual(['Blorp tart with a very long name and custard']);
      expect(await search(`q=${encodeURIComponent('blorp custard')}`)).toEqual(['Blorp tart with a very long name and custard']);
    });

    test('When a multi-word query names a common word, then every word must match', async () => {
      const names = await search(`q=${encodeURIComponent('tart blorp')}&limit=100`);
      expect(names).toHaveLength(100);
      expect(names.every((n) => n.startsWith('Blorp tart'))).toBe(true);
      expect(await search(`q=${encodeURIComponent('blorp 250')}`)).toEqual(['Blorp tart 250']);
    });
  });
});
