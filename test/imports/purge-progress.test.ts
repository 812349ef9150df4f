import type { EntityManager } from '@mikro-orm/postgresql';
import { finishedImport, productsCsv, uploadCsv } from '../support/imports.js';
import { useShop } from '../support/shop.js';
import { emitAck, emitRaw, nextEvent } from '../support/sockets.js';
import { createUser } from '../support/users.js';

describe("deleting all of a merchant's products, with progress", () => {
  const shop = useShop();
  const em = () => shop.app.container.orm.em.fork() as EntityManager;

  test('When a merchant deletes all, then import:watch on the job id shows progress and one import:finished, and one products.purged summary goes out (no product.deleted per product)', async () => {
    const merchant = await createUser(shop.app, 'merchant');
    const other = await createUser(shop.app, 'merchant');
    await finishedImport(shop.app, merchant.token, (await uploadCsv(shop.app, merchant.token, productsCsv(3_500))).body.id);
    await finishedImport(shop.app, other.token, (await uploadCsv(shop.app, other.token, productsCsv(3))).body.id);
    const perProduct: unknown[] = [];
    const summaries: unknown[] = [];
    const events = shop.app.container.events;
    const offs = [events.subscribe('product.deleted', (e) => void perProduct.push(e)), events.subscribe('products.purged', (e) => void summaries.push(e))];
    const socket = await shop.connect(merchant);

    const res = await shop.http.request('DELETE', '/api/v1/products?confirm=all', { token: merchant.token });
    expect(res.status).toBe(202);
    const watched = await emitAck(socket, 'import:watch', { importId: res.body.jobId });
    expect(watched.data).toMatchObject({ id: res.body.jobId, type: 'purge', merchantId: merchant.id });
    const finished = await nextEvent(socket, 'import:finished', 30_000, (p) => p.id === res.body.jobId);
    for (const off of offs) off();
    expect(finished).toMatchObject({ type: 'purge', status: 'completed', rowsDeleted: 3_500, percent: 100 });
    expect(await em().execute(`select merchant_id, count(*)::int as n from products group by merchant_id`)).toEqual([{ merchant_id: other.id, n: 3 }]);
    expect(perProduct).toEqual([]);
    expect(summaries).toEqual([expect.objectContaining({ operationId: res.body.jobId, merchantId: merchant.id, deleted: 3_500, status: 'completed' })]);
    expect((await shop.http.get(`/api/v1/imports/${res.body.jobId}`, merchant.token)).body).toMatchObject({ status: 'completed', rowsDeleted: 3_500 });
  });

  test('When a purge deletes a product, then the order_items foreign-key check on it can probe an index (no scan of every order item)', async () => {
    // PostgreSQL checks `order_items.product_id references products` with this very lookup for each deleted product.
    const plan = await em().transactional(async (tx) => {
      await tx.execute('set local enable_seqscan = off', [], 'run');
      const rows = await tx.execute<Array<{ 'QUERY PLAN': string }>>(
        `explain select 1 from order_items where product_id = '00000000-0000-4000-8000-000000000000'::uuid for key share`,
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index (Only )?Scan (using|on) order_items_product_idx/);
    expect(plan).not.toMatch(/Seq Scan/);
  });

  test('When a socket watches an import it may not see (or sends garbage), then the ack refuses it and it joins nothing', async () => {
    const merchant = await createUser(shop.app, 'merchant');
    const stranger = await createUser(shop.app, 'merchant');
    const res = await uploadCsv(shop.app, merchant.token, productsCsv(2));
    const socket = await shop.connect(stranger);
    expect((await emitAck(socket, 'import:watch', { importId: res.body.id })).error).toMatchObject({ code: 'NOT_FOUND' });
    expect((await emitRaw(socket, 'import:watch', { importId: 'x; drop table imports' })).error).toMatchObject({ code: 'VALIDATION' });
    expect((await emitRaw(socket, 'import:watch', { importId: res.body.id, extra: 1 })).error).toMatchObject({ code: 'VALIDATION' });
    const leaked = nextEvent(socket, 'import:finished', 1_500).then(
      () => 'leaked',
      () => 'nothing',
    );
    await finishedImport(shop.app, merchant.token, res.body.id);
    expect(await leaked).toBe('nothing');
  });
});
