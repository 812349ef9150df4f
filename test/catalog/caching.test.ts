import { TestEnv, type TestApp } from '../support/test-env.js';
import { createUser, type TestUser } from '../support/users.js';
import { createProduct } from '../support/products.js';
import { httpClient, type HttpClient } from '../support/http.js';
import { catalogKeys } from '../../domain/catalog/redis-keys.js';

describe('product caching and ETags', () => {
  let env: TestEnv;
  let app: TestApp;
  let http: HttpClient;
  let merchant: TestUser;

  beforeAll(async () => {
    env = await TestEnv.create();
    app = await env.start();
    http = httpClient(app.url);
    merchant = await createUser(app, 'merchant');
  });
  afterAll(() => env.close());

  test('When If-None-Match carries the current ETag, then 304 with no body; after a change, 200 with a new ETag', async () => {
    const p = await createProduct(app, merchant);
    const first = await http.get(`/api/v1/products/${p.id}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await http.get(`/api/v1/products/${p.id}`, undefined, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    await http.patch(`/api/v1/products/${p.id}`, { priceCents: 999 }, merchant.token);
    const changed = await http.get(`/api/v1/products/${p.id}`, undefined, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const list = await http.get(`/api/v1/products?merchantId=${merchant.id}`);
    expect((await http.get(`/api/v1/products?merchantId=${merchant.id}`, undefined, { 'if-none-match': list.headers.get('etag')! })).status).toBe(304);
  });

  test('When a product is read, then it is cached in Redis; a PATCH invalidates it and the next read is fresh', async () => {
    const p = await createProduct(app, merchant, { name: 'Before', barcode: '96385074' });
    const redis = app.container.deps.redis;
    await http.get(`/api/v1/products/${p.id}`);
    expect(JSON.parse((await redis.get(catalogKeys.product(p.id)))!).name).toBe('Before');
    await http.patch(`/api/v1/products/${p.id}`, { name: 'After' }, merchant.token);
    expect(await redis.get(catalogKeys.product(p.id))).toBeNull();
    expect((await http.get(`/api/v1/products/${p.id}`)).body.name).toBe('After');
    expect((await http.get('/api/v1/products/barcode/96385074')).body.name).toBe('After');
  });

  test('When the barcode moves to another product, then the old cache entry does not answer for it', async () => {
    const a = await createProduct(app, merchant, { barcode: '4006381333931' });
    expect((await http.get('/api/v1/products/barcode/4006381333931')).body.id).toBe(a.id); // cached
    await http.patch(`/api/v1/products/${a.id}`, { barcode: null }, merchant.token);
    expect((await http.get('/api/v1/products/barcode/4006381333931')).status).toBe(404);
    const b = await createProduct(app, merchant, { barcode: '4006381333931' });
    expect((await http.get('/api/v1/products/barcode/4006381333931')).body.id).toBe(b.id);
  });

  test('When stock is reserved elsewhere, then available changes while the cached product is reused', async () => {
    const p = await createProduct(app, merchant, { stock: 5 });
    expect((await http.get(`/api/v1/products/${p.id}`)).body.available).toBe(5);
    const shopper = await createUser(app);
    await app.container.services.cart.add(shopper.id, { productId: p.id, quantity: 2 });
    const res = await http.get(`/api/v1/products/${p.id}`);
    expect(res.body).toMatchObject({ stock: 5, available: 3 });
  });
});
