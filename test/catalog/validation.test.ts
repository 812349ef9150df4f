import { useShop } from '../support/shop.js';
import { createProduct } from '../support/products.js';

describe('product validation', () => {
  const shop = useShop();
  const valid = { sku: 'V-1', name: 'Valid', priceCents: 100 };

  const count = async () => (await shop.http.get(`/api/v1/products?merchantId=${shop.merchant.id}`, shop.merchant.token)).body.items.length;

  test.each([
    { what: 'a negative price', patch: { priceCents: -1 }, path: 'priceCents' },
    { what: 'a bad barcode checksum', patch: { barcode: '4006381333932' }, path: 'barcode' },
    { what: 'a 300-character SKU', patch: { sku: 'x'.repeat(300) }, path: 'sku' },
    { what: 'an unknown field', patch: { role: 'admin' }, path: 'role' },
    { what: 'a fractional price', patch: { priceCents: 1.5 }, path: 'priceCents' },
    { what: 'negative stock', patch: { stock: -3 }, path: 'stock' },
    { what: 'an unknown allergen', patch: { allergens: ['chocolate'] }, path: 'allergens.0' },
    { what: 'salt above 100 g per 100 g', patch: { nutrition: { salt: 120 } }, path: 'nutrition.salt' },
    { what: 'an unknown nutrient', patch: { nutrition: { vitaminQ: 1 } }, path: 'nutrition.vitaminQ' },
    { what: 'a bad currency', patch: { currency: 'euro' }, path: 'currency' },
  ])('When the body has $what, then 422 names $path and nothing is created', async ({ patch, path }) => {
    const before = await count();
    const res = await shop.http.post('/api/v1/products', { ...valid, sku: `V-${Math.random()}`, ...patch }, shop.merchant.token);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await count()).toBe(before);
  });

  test('When a PATCH has a bad field, then 422 and the product is unchanged', async () => {
    const p = await createProduct(shop.app, shop.merchant, { priceCents: 500 });
    const res = await shop.http.patch(`/api/v1/products/${p.id}`, { priceCents: 10, merchantId: shop.merchant.id }, shop.merchant.token);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('merchantId');
    expect((await shop.http.get(`/api/v1/products/${p.id}`)).body.priceCents).toBe(500);
  });

  test('When ids, barcodes and query parameters are malformed, then 422 names them', async () => {
    expect((await shop.http.get('/api/v1/products/not-a-uuid')).body.errors[0].path).toBe('id');
    const barcode = await shop.http.get('/api/v1/products/barcode/4006381333932');
    expect(barcode.status).toBe(422);
    expect(barcode.body.errors[0].path).toBe('code');
    const list = await shop.http.get('/api/v1/products?limit=1000&sort=cheapest');
    expect(list.status).toBe(422);
    expect(list.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['limit', 'sort']);
    expect((await shop.http.get('/api/v1/products?cursor=garbage')).body.errors[0].path).toBe('cursor');
    expect((await shop.http.get('/api/v1/products?minPriceCents=500&maxPriceCents=100')).body.errors[0].path).toBe('maxPriceCents');
  });

  test('When SQL or script text is sent as a name or search, then it is stored and searched as plain text', async () => {
    const name = `Robert'); drop table products;-- <script>x</script>`;
    const p = await createProduct(shop.app, shop.merchant, { name });
    expect((await shop.http.get(`/api/v1/products/${p.id}`)).body.name).toBe(name);
    const found = await shop.http.get(`/api/v1/products?q=${encodeURIComponent('drop table products;--')}`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((i: { id: string }) => i.id)).toContain(p.id);
    expect((await shop.http.get(`/api/v1/products?q=${encodeURIComponent("%_!'")}`)).status).toBe(200);
  });
});
