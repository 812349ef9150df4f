import { createProduct } from '../support/products.js';
import { emitAck } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { useShop } from '../support/shop.js';

describe('hidden (inactive or deleted) products', () => {
  const shop = useShop();

  test('When a stranger watches an inactive product, then the ack reports it like an unknown product and no stock:changed follows', async () => {
    const hidden = await createProduct(shop.app, shop.merchant, { stock: 7, active: false });
    const unknown = '00000000-0000-4000-8000-000000000001';
    const stranger = await shop.connect(await createUser(shop.app));
    const pushes: unknown[] = [];
    stranger.on('stock:changed', (p) => pushes.push(p));
    const ack = await emitAck(stranger, 'products:watch', { productIds: [hidden.id, unknown] });
    expect(ack.data.available).toEqual({ [hidden.id]: 0, [unknown]: 0 });
    const owner = await shop.connect(shop.merchant);
    expect((await emitAck(owner, 'products:watch', { productIds: [hidden.id] })).data.available).toEqual({ [hidden.id]: 7 });
    expect((await shop.http.patch(`/api/v1/products/${hidden.id}`, { stock: 3 }, shop.merchant.token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(pushes).toEqual([]);
  });

  test('When a deleted product is watched, then it is answered like an unknown one', async () => {
    const gone = await createProduct(shop.app, shop.merchant, { stock: 4 });
    expect((await shop.http.delete(`/api/v1/products/${gone.id}`, shop.merchant.token)).status).toBe(204);
    const socket = await shop.connect(await createUser(shop.app));
    expect((await emitAck(socket, 'products:watch', { productIds: [gone.id] })).data.available).toEqual({ [gone.id]: 0 });
  });

  test('When a merchant uses a barcode another merchant’s inactive product carries, then it is created (nothing revealed) and the barcode finds it', async () => {
    const rival = await createUser(shop.app, 'merchant');
    const barcode = '5901234123457';
    const hidden = await createProduct(shop.app, rival, { barcode, active: false });
    const mine = await shop.http.post('/api/v1/products', { sku: 'BAR-1', name: 'Mine', priceCents: 100, barcode }, shop.merchant.token);
    expect(mine.status).toBe(201);
    expect((await shop.http.get(`/api/v1/products/barcode/${barcode}`)).body.id).toBe(mine.body.id);
    expect((await shop.http.get(`/api/v1/products/barcode/${barcode}`, rival.token)).body.id).toBe(mine.body.id);
    // Activating the hidden one now meets a product for sale, which anyone could already see: 409 to its owner.
    const clash = await shop.http.patch(`/api/v1/products/${hidden.id}`, { active: true }, rival.token);
    expect(clash.status).toBe(409);
    expect(clash.body.errors.map((e: { path: string }) => e.path)).toEqual(['barcode']);
  });

  test('When two products for sale would share a barcode, then the second is 409 naming barcode', async () => {
    const barcode = '4006381333931';
    await createProduct(shop.app, shop.merchant, { barcode });
    const second = await shop.http.post(
      '/api/v1/products',
      { sku: 'BAR-2', name: 'Second', priceCents: 100, barcode },
      (await createUser(shop.app, 'merchant')).token,
    );
    expect(second.status).toBe(409);
  });
});
