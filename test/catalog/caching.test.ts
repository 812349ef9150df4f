import { useShop } from '../support/shop.js';
import { createUser } from '../support/users.js';
import { createProduct } from '../support/products.js';
import { catalogKeys } from '../../domain/catalog/redis-keys.js';

describe('product caching and ETags', () => {
  const shop = useShop();

  test('When If-None-Match carries the current ETag, then 304 with no body; after a change, 200 with a new ETag', async () => {
    const p = await createProduct(shop.app, shop.merchant);
    const first = await shop.http.get(`/api/v1/products/${p.id}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(first.body).toMatchObject({ id: p.id });
    const again = await shop.http.get(`/api/v1/products/${p.id}`, undefined, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    await shop.http.patch(`/api/v1/products/${p.id}`, { priceCents: 999 }, shop.merchant.token);
    const changed = await shop.http.get(`/api/v1/products/${p.id}`, undefined, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const list = await shop.http.get(`/api/v1/products?merchantId=${shop.merchant.id}`);
    expect((await shop.http.get(`/api/v1/products?merchantId=${shop.merchant.id}`, undefined, { 'if-none-match': list.headers.get('etag')! })).status).toBe(
      304,
    );
  });

  test('When a product is read, then it is cached in Redis; a PATCH invalidates it and the next read is fresh', async () => {
    const p = await createProduct(shop.app, shop.merchant, { name: 'Before', barcode: '96385074' });
    const redis = shop.app.container.redis;
    await shop.http.get(`/api/v1/products/${p.id}`);
    expect(JSON.parse((await redis.get(catalogKeys.product(p.id)))!).name).toBe('Before');
    await shop.http.patch(`/api/v1/products/${p.id}`, { name: 'After' }, shop.merchant.token);
    expect(await redis.get(catalogKeys.product(p.id))).toBeNull();
    expect((await shop.http.get(`/api/v1/products/${p.id}`)).body.name).toBe('After');
    expect((await shop.http.get('/api/v1/products/barcode/96385074')).body.name).toBe('After');
  });

  test('When a barcode was read once, then the next read is answered from the cache entries', async () => {
    const p = await createProduct(shop.app, shop.merchant, { name: 'Stored', barcode: '5449000000996' });
    const redis = shop.app.container.redis;
    await shop.http.get('/api/v1/products/barcode/5449000000996');
    const entry = JSON.parse((await redis.get(catalogKeys.product(p.id)))!);
    await redis.set(catalogKeys.product(p.id), JSON.stringify({ ...entry, name: 'From cache' }));
    expect((await shop.http.get('/api/v1/products/barcode/5449000000996')).body.name).toBe('From cache');
  });

  test('When the barcode moves to another product, then the old cache entry does not answer for it', async () => {
    const a = await createProduct(shop.app, shop.merchant, { barcode: '4006381333931' });
    expect((await shop.http.get('/api/v1/products/barcode/4006381333931')).body.id).toBe(a.id); // cached
    await shop.http.patch(`/api/v1/products/${a.id}`, { barcode: null }, shop.merchant.token);
    expect((await shop.http.get('/api/v1/products/barcode/4006381333931')).status).toBe(404);
    const b = await createProduct(shop.app, shop.merchant, { barcode: '4006381333931' });
    expect((await shop.http.get('/api/v1/products/barcode/4006381333931')).body.id).toBe(b.id);
  });

  test('When a barcode the instance remembers now belongs to another product, then that product answers with its own availability', async () => {
    const a = await createProduct(shop.app, shop.merchant, { barcode: '5012345678900', stock: 3 });
    for (let i = 0; i < 2; i++) expect((await shop.http.get('/api/v1/products/barcode/5012345678900')).body).toMatchObject({ id: a.id, available: 3 });
    await shop.http.patch(`/api/v1/products/${a.id}`, { barcode: '5012345678917' }, shop.merchant.token);
    const b = await createProduct(shop.app, shop.merchant, { barcode: '5012345678900', stock: 8 });
    expect((await shop.http.get('/api/v1/products/barcode/5012345678900')).body).toMatchObject({ id: b.id, available: 8 });
    expect((await shop.http.get('/api/v1/products/barcode/5012345678917')).body).toMatchObject({ id: a.id, available: 3 });
  });

  test('When stock is reserved elsewhere, then available changes while the cached product is reused', async () => {
    const p = await createProduct(shop.app, shop.merchant, { stock: 5 });
    expect((await shop.http.get(`/api/v1/products/${p.id}`)).body.available).toBe(5);
    const shopper = await createUser(shop.app);
    await shop.app.container.modules.cart.cart.add(shopper, { productId: p.id, quantity: 2 });
    const res = await shop.http.get(`/api/v1/products/${p.id}`);
    expect(res.body).toMatchObject({ stock: 5, available: 3 });
  });
});
