import { useShop } from '../support/shop.js';
import { createUser, type TestUser } from '../support/users.js';
import { createProduct } from '../support/products.js';

describe('products CRUD and ownership', () => {
  const shop = useShop();
  let merchant: TestUser;
  let other: TestUser;
  let admin: TestUser;
  let customer: TestUser;

  beforeAll(async () => {
    [merchant, other, admin, customer] = await Promise.all([
      createUser(shop.app, 'merchant'),
      createUser(shop.app, 'merchant'),
      createUser(shop.app, 'admin'),
      createUser(shop.app, 'customer'),
    ]);
  });

  test('When a merchant creates a product, then it answers 201 with the product, available = stock, and GET returns it', async () => {
    const res = await shop.http.post(
      '/api/v1/products',
      {
        sku: 'OAT-1',
        name: 'Oat drink 1 L',
        priceCents: 199,
        stock: 7,
        barcode: '4006381333931',
        nutrition: { salt: 0.1, sugars: 4 },
        labels: ['vegan'],
        ingredients: 'Water, oats 10%, salt',
      },
      merchant.token,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      merchantId: merchant.id,
      sku: 'OAT-1',
      name: 'Oat drink 1 L',
      priceCents: 199,
      currency: 'EUR',
      stock: 7,
      available: 7,
      barcode: '4006381333931',
      category: 'other',
      kind: 'grocery',
      labels: ['vegan'],
      allergens: [],
      active: true,
      nutrition: { salt: 0.1, sugars: 4, fat: null, energyKcal: null },
    });
    const got = await shop.http.get(`/api/v1/products/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  test('When the SKU differs only in case, then 409 names sku; another merchant may reuse it', async () => {
    await createProduct(shop.app, merchant, { sku: 'dup-sku' });
    const again = await shop.http.post('/api/v1/products', { sku: 'DUP-SKU', name: 'x', priceCents: 1 }, merchant.token);
    expect(again.status).toBe(409);
    expect(again.body.errors[0].path).toBe('sku');
    expect((await shop.http.post('/api/v1/products', { sku: 'DUP-SKU', name: 'x', priceCents: 1 }, other.token)).status).toBe(201);
  });

  test('When the owner patches, then only the sent fields change and stock moves available', async () => {
    const p = await createProduct(shop.app, merchant, { stock: 5, priceCents: 300 });
    const res = await shop.http.patch(`/api/v1/products/${p.id}`, { stock: 9, nutrition: { salt: 1.2 } }, merchant.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stock: 9, available: 9, priceCents: 300, nutrition: { salt: 1.2 } });
  });

  test('When another merchant patches or deletes, then 404 and nothing changes', async () => {
    const p = await createProduct(shop.app, merchant, { stock: 5, name: 'Mine' });
    expect((await shop.http.patch(`/api/v1/products/${p.id}`, { name: 'Stolen', stock: 0 }, other.token)).status).toBe(404);
    expect((await shop.http.delete(`/api/v1/products/${p.id}`, other.token)).status).toBe(404);
    const after = await shop.http.get(`/api/v1/products/${p.id}`);
    expect(after.body).toMatchObject({ name: 'Mine', stock: 5 });
  });

  test('When a customer tries to create, then 403; an admin may create for a merchant and edit any product', async () => {
    expect((await shop.http.post('/api/v1/products', { sku: 'c1', name: 'x', priceCents: 1 }, customer.token)).status).toBe(403);
    const byAdmin = await shop.http.post('/api/v1/products', { sku: 'adm-1', name: 'Admin made', priceCents: 1, merchantId: merchant.id }, admin.token);
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.merchantId).toBe(merchant.id);
    const edited = await shop.http.patch(`/api/v1/products/${byAdmin.body.id}`, { priceCents: 2 }, admin.token);
    expect(edited.body.priceCents).toBe(2);
  });

  test('When the owner deletes, then 204 and the product is gone (404), cache included', async () => {
    const p = await createProduct(shop.app, merchant);
    expect((await shop.http.get(`/api/v1/products/${p.id}`)).status).toBe(200); // now cached
    expect((await shop.http.delete(`/api/v1/products/${p.id}`, merchant.token)).status).toBe(204);
    expect((await shop.http.get(`/api/v1/products/${p.id}`)).status).toBe(404);
  });

  test('When a product is inactive, then only its merchant and admins see it', async () => {
    const p = await createProduct(shop.app, merchant, { active: false });
    expect((await shop.http.get(`/api/v1/products/${p.id}`)).status).toBe(404);
    expect((await shop.http.get(`/api/v1/products/${p.id}`, other.token)).status).toBe(404);
    expect((await shop.http.get(`/api/v1/products/${p.id}`, merchant.token)).status).toBe(200);
    expect((await shop.http.get(`/api/v1/products/${p.id}`, admin.token)).status).toBe(200);
  });

  test('When products change, then product.created/updated/deleted carry committed stock and stockVersion', async () => {
    const seen: Array<[string, any]> = [];
    const events = shop.app.container.events;
    const offs = (['product.created', 'product.updated', 'product.deleted'] as const).map((n) =>
      events.subscribe(n, (payload) => void seen.push([n, payload])),
    );
    const p = await createProduct(shop.app, merchant, { stock: 3 });
    await shop.http.patch(`/api/v1/products/${p.id}`, { stock: 4 }, merchant.token);
    await shop.http.patch(`/api/v1/products/${p.id}`, { name: 'Renamed' }, merchant.token);
    await shop.http.delete(`/api/v1/products/${p.id}`, merchant.token);
    for (const off of offs) off();
    expect(seen).toEqual([
      ['product.created', { productId: p.id, merchantId: merchant.id, stock: 3, stockVersion: 1, active: true }],
      ['product.updated', { productId: p.id, merchantId: merchant.id, stock: 4, stockVersion: 2, active: true }],
      ['product.updated', { productId: p.id, merchantId: merchant.id, stock: 4, stockVersion: 2, active: true }],
      ['product.deleted', { productId: p.id, merchantId: merchant.id }],
    ]);
  });

  test('When a merchant asks to delete all, then 202 {jobId} and the job removes only their products', async () => {
    const victim = await createUser(shop.app, 'merchant');
    await Promise.all([1, 2, 3].map(() => createProduct(shop.app, victim)));
    const keep = await createProduct(shop.app, other);
    expect((await shop.http.request('DELETE', '/api/v1/products', { token: victim.token })).status).toBe(422);
    const res = await shop.http.request('DELETE', '/api/v1/products?confirm=all', { token: victim.token });
    expect(res.status).toBe(202);
    expect(typeof res.body.jobId).toBe('string');
    const deadline = Date.now() + 20_000;
    for (;;) {
      const list = await shop.http.get(`/api/v1/products?merchantId=${victim.id}`, victim.token);
      if (list.body.items.length === 0) break;
      if (Date.now() > deadline) throw new Error('products were not deleted');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await shop.http.get(`/api/v1/products/${keep.id}`)).status).toBe(200);
  });
});
