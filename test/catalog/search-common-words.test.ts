import type { EntityManager } from '@mikro-orm/postgresql';
import { driverWords, searchCandidates } from '../../domain/catalog/listing/search-sql.js';
import { WordShares } from '../../domain/catalog/listing/word-frequencies.js';
import { raw } from '../../domain/shared/sql.js';
import { createProduct } from '../support/products.js';
import { eventually } from '../support/eventually.js';
import { useShop } from '../support/shop.js';

describe('driverWords', () => {
  const shares: Record<string, number> = { de: 0.1, des: 0.02, pain: 0.008, mie: 0.0003, chocolat: 0.06 };
  const share = (w: string) => shares[w] ?? 0;

  test('When a query word is common and another is rare, then only the rare one drives the index', () => {
    expect(driverWords([['pain'], ['de', 'des'], ['mie']], share)).toEqual([true, false, true]);
  });

  test('When every word is common, then the least common one alone drives', () => {
    expect(driverWords([['de'], ['chocolat']], share)).toEqual([false, true]);
  });

  test('When no statistics are known, then every word drives (all count as rare)', () => {
    expect(driverWords([['de'], ['chocolat']], () => 0)).toEqual([true, true]);
  });

  test('When a word is not driving, then the candidates still require it, in a form the index cannot serve', () => {
    const text = searchCandidates('pain de', [['pain'], ['de']], raw('true'), share).text;
    expect(text).toContain('p.name_words && (select ?::text[]) and coalesce(p.name_words && (select ?::text[]), false)');
  });
});

describe('search with a common word, on analysed statistics', () => {
  const shop = useShop();
  const names = (body: { items: Array<{ name: string }> }) => body.items.map((p) => p.name).sort();
  const em = () => shop.app.container.orm.em.fork() as EntityManager;

  beforeAll(async () => {
    for (const name of [
      'Pain de mie',
      'Pain de mie complet',
      'Mie de pain',
      'Brioche mie',
      'Pain de campagne',
      'Confiture de fraise',
      'Jus de pomme',
      'Tarte de pomme',
      'Pain complet',
    ]) {
      await createProduct(shop.app, shop.merchant, { name });
    }
    await em().execute('analyze products');
  });

  test('When statistics list the words, then their shares are read from them', async () => {
    const share = await new WordShares(em()).get();
    expect(share('de')).toBeCloseTo(7 / 9, 1); // 7 of the 9 names
    expect(share('nowhere')).toBe(0);
  });

  // "mie" (4 names) drives; "pain" and "de" are only checked, yet "Brioche mie" must not come back.
  test('When a query mixes common and rare words, then every word must still match', async () => {
    const res = await shop.http.get(`/api/v1/products?q=${encodeURIComponent('pain de mie')}`);
    expect(res.status).toBe(200);
    expect(res.body.items[0].name).toBe('Pain de mie');
    expect(names(res.body)).toEqual(['Mie de pain', 'Pain de mie', 'Pain de mie complet']);
    expect(names((await shop.http.get(`/api/v1/products?q=${encodeURIComponent('de pomme')}`)).body)).toEqual(['Jus de pomme', 'Tarte de pomme']);
  });
});

describe('remembered word expansions', () => {
  const shop = useShop();
  const search = async (q: string) => (await shop.http.get(`/api/v1/products?q=${encodeURIComponent(q)}`)).body.items.map((p: { name: string }) => p.name);

  test('When a product brings a new word, then it is found by that word at once and by a typo of it once the change is announced', async () => {
    expect(await search('zorbo')).toEqual([]);
    expect(await search('zorbbo')).toEqual([]); // remembered: expands to nothing
    await createProduct(shop.app, shop.merchant, { name: 'Zorbo crisps' });
    expect(await search('zorbo')).toEqual(['Zorbo crisps']); // the query word is always part of its expansion
    // Well within the minute a remembered expansion lives: the product.created event cleared it.
    expect(
      await eventually(
        () => search('zorbbo'),
        (names) => names.length > 0,
        10_000,
      ),
    ).toEqual(['Zorbo crisps']);
  });
});
