import { readFileSync } from 'node:fs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { finishedImport, uploadCsv } from '../support/imports.js';
import { useShop } from '../support/shop.js';

const FULFIL = readFileSync(new URL('../../../shared/data/fulfil_products_medium.csv', import.meta.url));

describe('importing products from CSV', () => {
  const shop = useShop();
  const em = () => shop.app.container.orm.em.fork() as EntityManager;

  test('When the Fulfil file is uploaded, then every product is imported, multi-line descriptions intact, the repeated SKUs once (last row wins)', async () => {
    const res = await uploadCsv(shop.app, shop.merchant.token, FULFIL);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', type: 'products' });
    const done = await finishedImport(shop.app, shop.merchant.token, res.body.id);
    expect(done).toMatchObject({ status: 'completed', rowsRead: 2000, rowsUpserted: 1998, rowsDuplicate: 2, rowsRejected: 0, percent: 100 });
    const rows = await em().execute(`select count(*)::int as n from products where merchant_id = ?`, [shop.merchant.id]);
    expect(rows[0].n).toBe(1998);
  });
});
