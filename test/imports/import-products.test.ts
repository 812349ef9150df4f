import { readFileSync } from 'node:fs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { catalogKeys } from '../../domain/catalog/redis-keys.js';
import { finishedImport, productsCsv, uploadCsv } from '../support/imports.js';
import { createProduct } from '../support/products.js';
import { useShop } from '../support/shop.js';
import { emitAck, nextEvent } from '../support/sockets.js';
import { createUser } from '../support/users.js';

const DATA = new URL('../fixtures/data/', import.meta.url);
const FULFIL = readFileSync(new URL('fulfil_products_medium.csv', DATA));
const OFF = readFileSync(new URL('openfoodfacts_lifyzer_2019_sample5k.csv', DATA));

describe('importing products from CSV', () => {
  const shop = useShop();
  const em = () => shop.app.container.orm.em.fork() as EntityManager;
  const productsOf = (merchantId: string) =>
    em().execute<
      Array<{ sku: string; name: string; description: string; price_cents: number; stock: number; active: boolean; updated_at: Date; version: number }>
    >(`select sku, name, description, price_cents, stock, active, updated_at, version from products where merchant_id = ? order by sku`, [merchantId]);
  const importAs = async (token: string, csv: string | Buffer, query = 'type=products') => {
    const res = await uploadCsv(shop.app, token, csv, query);
    if (res.status !== 202) throw new Error(`upload refused: ${res.status} ${JSON.stringify(res.body)}`);
    return finishedImport(shop.app, token, res.body.id);
  };

  test('When the Fulfil file is uploaded, then every product is imported, multi-line descriptions intact, a repeated SKU once with its last row', async () => {
    const merchant = await createUser(shop.app, 'merchant');
    const res = await uploadCsv(shop.app, merchant.token, FULFIL);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', type: 'products', merchantId: merchant.id, bytesTotal: FULFIL.length });
    const done = await finishedImport(shop.app, merchant.token, res.body.id);
    expect(done).toMatchObject({ status: 'completed', rowsRead: 2000, rowsUpserted: 1998, rowsDuplicate: 2, rowsRejected: 0, percent: 100, etaSeconds: null });
    const products = await productsOf(merchant.id);
    expect(products).toHaveLength(1998);
    const text = FULFIL.toString('utf8');
    const lastInvolve = text.lastIndexOf(',involve-available,');
    const lastName = text.slice(text.lastIndexOf('\n', lastInvolve) + 1, lastInvolve);
    expect(products.find((p) => p.sku === 'involve-available')!.name).toBe(lastName);
    const multiLine = products.find((p) => p.sku === 'step-onto')!;
    expect(multiLine.description).toBe(
      'Choice should lead budget task. Author best mention.\nOften stuff professional today allow after door instead. Model seat fear evidence. Now sing opportunity feeling no season show.',
    );
    // No price in the file: the products exist but are not for sale until priced.
    expect(products.every((p) => p.price_cents === 0 && !p.active)).toBe(true);
  });

  test('When the Open Food Facts sample is uploaded without ignoreUnknownColumns, then 422 names the columns it does not know and nothing is imported', async () => {
    const res = await uploadCsv(shop.app, shop.merchant.token, OFF);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION');
    expect(res.body.unknownColumns).toEqual(['product_image', 'sodium_100g', 'alcohol_100g', 'is_healthy']);
    expect(res.body.errors[0]).toMatchObject({ path: 'header' });
    expect(await em().execute(`select count(*)::int as n from imports where merchant_id = ?`, [shop.merchant.id])).toEqual([{ n: 0 }]);
  });

  test('When the Open Food Facts sample is uploaded (CRLF, barcodes as SKUs, nutrients per 100 g), then valid rows are imported and bad barcodes listed by row', async () => {
    const merchant = await createUser(shop.app, 'merchant');
    const done = await importAs(merchant.token, OFF, 'type=products&ignoreUnknownColumns=true');
    expect(done).toMatchObject({
      status: 'completed',
      rowsRead: 5000,
      rowsDuplicate: 0,
      ignoredColumns: ['product_image', 'sodium_100g', 'alcohol_100g', 'is_healthy'],
    });
    expect(done.rowsUpserted + done.rowsRejected).toBe(5000);
    expect(done.rowsRejected).toBeGreaterThanOrEqual(62); // 62 barcodes with a wrong check digit
    const loaf = await shop.http.get('/api/v1/products/barcode/0000020046255', merchant.token);
    expect(loaf.status).toBe(200);
    expect(loaf.body).toMatchObject({
      sku: '0000020046255',
      name: 'Freshly Baked Italian Loaf',
      nutrition: { fat: 0, carbohydrate: 42.86, fibre: 1.8, protein: 7.14, salt: 1.36144 },
    });
    expect(loaf.body.ingredients).toMatch(/^Enriched wheatflour/);
    const errors = await shop.http.get(`/api/v1/imports/${done.id}/errors`, merchant.token);
    expect(errors.status).toBe(200);
    expect(errors.headers.get('content-type')).toContain('text/csv');
    const lines = (errors.body as string).trim().split('\n');
    expect(lines[0]).toBe('row,sku,reason');
    expect(lines).toHaveLength(done.rowsRejected + 1);
    expect(lines.filter((l) => l.includes('barcode: check digit does not match'))).toHaveLength(62);
    const rows = lines.slice(1).map((l) => Number(l.split(',')[0]));
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(rows.every((r) => r >= 2 && r <= 5001)).toBe(true);
  });

  test('When a file starts with a BOM and repeats a SKU in other cases, then the last row wins and the others count as duplicates', async () => {
    const merchant = await createUser(shop.app, 'merchant');
    const csv = '\uFEFFname,SKU,price,currency\nFirst,abc-1,1.00,EUR\nSecond,ABC-1,2.00,EUR\nOther,x-2,3,EUR\nThird,Abc-1,3.50,EUR\n';
    const done = await importAs(merchant.token, csv);
    expect(done).toMatchObject({ status: 'completed', rowsRead: 4, rowsUpserted: 2, rowsDuplicate: 2, rowsRejected: 0 });
    const products = await productsOf(merchant.id);
    expect(products.map((p) => [p.sku, p.name, p.price_cents, p.active])).toEqual([
      ['Abc-1', 'Third', 350, true],
      ['x-2', 'Other', 300, true],
    ]);
  });

  test('When rows are invalid, then each is rejected with its row number and reason, and the valid rows are imported', async () => {
    const merchant = await createUser(shop.app, 'merchant');
    const csv = [
      'name,sku,price,stock,barcode,kind,energy_kcal',
      'Good one,g-1,1.50,3,4006381333931,grocery,120', // row 2
      ',no-name,1.00,1,,,', // 3
      'Bad price,b-1,abc,1,,,', // 4
      'Bad barcode,b-2,1.00,1,4006381333932,,', // 5
      'Too few,b-3', // 6
      'Negative stock,b-4,1.00,-2,,,', // 7
      'Bad kind,b-5,1.00,1,,furniture,', // 8
      'Too precise,b-6,1.005,1,,,', // 9
      'Good two,g-2,2,0,,dish,', // 10
    ].join('\n');
    const done = await importAs(merchant.token, csv);
    expect(done).toMatchObject({ status: 'completed', rowsRead: 9, rowsUpserted: 2, rowsRejected: 7 });
    expect((await productsOf(merchant.id)).map((p) => p.sku)).toEqual(['g-1', 'g-2']);
    const errors = await shop.http.get(`/api/v1/imports/${done.id}/errors`, merchant.token);
    expect((errors.body as string).trim().split('\n')).toEqual([
      'row,sku,reason',
      '3,no-name,name: Too small: expected string to have >=1 characters',
      '4,b-1,"price: ""abc"" is not a number (use a dot for decimals)"',
      '5,b-2,barcode: check digit does not match',
      '6,,"expected 7 fields, found 2"',
      '7,b-4,stock: Too small: expected number to be >=0',
      '8,b-5,"kind: Invalid option: expected one of ""grocery""|""dish""|""addon"""',
      '9,b-6,"price: ""1.005"" has more decimals than EUR allows (2)"',
    ]);
  });

  test('When the same file is imported twice, then the second import changes nothing: no rows upserted, no updated_at or version bump', async () => {
    const merchant = await createUser(shop.app, 'merchant');
    const csv = productsCsv(300);
    expect(await importAs(merchant.token, csv)).toMatchObject({ status: 'completed', rowsUpserted: 300 });
    const before = await productsOf(merchant.id);
    const again = await importAs(merchant.token, csv);
    expect(again).toMatchObject({ status: 'completed', rowsRead: 300, rowsUpserted: 0, rowsUnchanged: 300 });
    expect(await productsOf(merchant.id)).toEqual(before);
    // The unchanged rows were set aside in one pass before the batches: there was no batch to write.
    const [{ batches_total }] = await em().execute<Array<{ batches_total: number }>>(`select batches_total from imports where id = ?`, [again.id]);
    expect(batches_total).toBe(0);
  });

  test('When a re-imported file changes a few rows, then only those are written and the rest count as unchanged, in the import and in a dry run', async () => {
    const merchant = await createUser(shop.app, 'merchant');
    expect(await importAs(merchant.token, productsCsv(250))).toMatchObject({ status: 'completed', rowsUpserted: 250 });
    const before = new Map((await productsOf(merchant.id)).map((p) => [p.sku, p]));
    // Rows 10 and 200 get another price, row 120 another stock.
    const price = (i: number) => (i === 10 || i === 200 ? '99.00' : `${(i % 50) + 1}.25`);
    const edited = productsCsv(250, (i) => `Product ${i},P-${i},"Line one\nline two",${price(i)},${i === 120 ? 42 : i % 7}`);
    const dry = await uploadCsv(shop.app, merchant.token, edited, 'type=products&dryRun=true');
    expect(dry.body).toMatchObject({ wouldInsert: 0, wouldUpdate: 3, unchanged: 247 });
    const again = await importAs(merchant.token, edited);
    expect(again).toMatchObject({ status: 'completed', rowsRead: 250, rowsUpserted: 3, rowsUnchanged: 247 });
    const after = await productsOf(merchant.id);
    const at = (d: Date | string) => new Date(d).getTime();
    const changed = after.filter((p) => at(p.updated_at) !== at(before.get(p.sku)!.updated_at)).map((p) => p.sku);
    expect(changed.sort()).toEqual(['P-10', 'P-120', 'P-200']);
    expect(after.find((p) => p.sku === 'P-200')).toMatchObject({ price_cents: 9900 });
    expect(after.find((p) => p.sku === 'P-120')).toMatchObject({ stock: 42 });
  });

  test('When an import changes stock, then watchers get stock:changed, caches drop, columns the file lacks are kept, and one products.imported goes out', async () => {
    const merchant = await createUser(shop.app, 'merchant');
    const kept = await createProduct(shop.app, merchant, { sku: 'KEEP-1', name: 'Kept', stock: 5, priceCents: 999 });
    const moved = await createProduct(shop.app, merchant, { sku: 'MOVE-1', name: 'Moves', stock: 5, priceCents: 450 });
    await shop.http.get(`/api/v1/products/${moved.id}`); // cached
    expect(await shop.app.container.redis.get(catalogKeys.product(moved.id))).not.toBeNull();
    const shopper = await createUser(shop.app);
    const socket = await shop.connect(shopper);
    await emitAck(socket, 'products:watch', { productIds: [moved.id, kept.id] });
    const pushed = nextEvent(socket, 'stock:changed', 10_000, (p) => p.productId === moved.id);
    const summaries: unknown[] = [];
    const off = shop.app.container.events.subscribe('products.imported', (s) => void summaries.push(s));
    const done = await importAs(merchant.token, 'sku,name,stock\nmove-1,Moves,9\nKEEP-1,Kept,5\nNEW-1,New,1\n');
    off();
    expect(done).toMatchObject({ rowsUpserted: 2, rowsUnchanged: 1 });
    expect(await pushed).toEqual({ productId: moved.id, available: 9 });
    expect(await shop.app.container.redis.get(catalogKeys.product(moved.id))).toBeNull();
    const product = (await shop.http.get(`/api/v1/products/${moved.id}`)).body;
    expect(product).toMatchObject({ sku: 'move-1', stock: 9, available: 9, priceCents: 450 });
    expect(summaries).toEqual([
      expect.objectContaining({ importId: done.id, merchantId: merchant.id, status: 'completed', rowsUpserted: 2, rowsUnchanged: 1 }),
    ]);
  });

  test('When a file gives a barcode another product carries, then that row is rejected and the rest of its batch is written', async () => {
    const merchant = await createUser(shop.app, 'merchant');
    const other = await createUser(shop.app, 'merchant');
    await createProduct(shop.app, other, { sku: 'THEIRS', barcode: '96385074' });
    const done = await importAs(
      merchant.token,
      'sku,name,barcode\nmine-1,Mine,96385074\nmine-2,Mine too,\nmine-3,Twice,5449000000996\nmine-4,Twice again,5449000000996\n',
    );
    expect(done).toMatchObject({ status: 'completed', rowsUpserted: 2, rowsRejected: 2 });
    const errors = await shop.http.get(`/api/v1/imports/${done.id}/errors`, merchant.token);
    expect((errors.body as string).trim().split('\n').slice(1)).toEqual([
      "2,mine-1,barcode 96385074 already belongs to another merchant's product",
      '5,mine-4,barcode 5449000000996 is also given on row 4',
    ]);
  });

  describe('dry run', () => {
    test('When dryRun=true, then the answer counts what would change and nothing is written', async () => {
      const merchant = await createUser(shop.app, 'merchant');
      await importAs(merchant.token, productsCsv(10));
      const before = await productsOf(merchant.id);
      const imports = await em().execute(`select count(*)::int as n from imports`);
      const csv = productsCsv(12, (i) =>
        i === 3 ? 'Renamed,P-3,x,1.25,1' : i === 5 ? 'Bad,P-5,x,oops,1' : `Product ${i},P-${i},"Line one\nline two",${(i % 50) + 1}.25,${i % 7}`,
      );
      const res = await uploadCsv(shop.app, merchant.token, `${csv}Again,p-12,x,1,1\n`, 'type=products&dryRun=true');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        wouldInsert: 2,
        wouldUpdate: 1,
        unchanged: 8,
        duplicates: 1,
        rejected: 1,
        rejections: [{ row: 6, sku: 'P-5', reason: 'price: "oops" is not a number (use a dot for decimals)' }],
        ignoredColumns: [],
      });
      expect(await productsOf(merchant.id)).toEqual(before);
      expect(await em().execute(`select count(*)::int as n from imports`)).toEqual(imports);
      expect(await em().execute(`select count(*)::int as n from pg_tables where tablename like 'import_stage_%'`)).toEqual([{ n: 0 }]);
    });
  });

  describe('who may import', () => {
    test('When a customer uploads, then 403; an admin must name the merchant; a merchant cannot name another', async () => {
      const customer = await createUser(shop.app);
      const admin = await createUser(shop.app, 'admin');
      const other = await createUser(shop.app, 'merchant');
      const csv = productsCsv(1);
      expect((await uploadCsv(shop.app, customer.token, csv)).status).toBe(403);
      const noMerchant = await uploadCsv(shop.app, admin.token, csv);
      expect(noMerchant.status).toBe(422);
      expect(noMerchant.body.errors).toEqual([{ path: 'merchantId', message: 'An admin must name the merchant' }]);
      expect((await uploadCsv(shop.app, shop.merchant.token, csv, `type=products&merchantId=${other.id}`)).status).toBe(422);
      const forOther = await uploadCsv(shop.app, admin.token, csv, `type=products&merchantId=${other.id}`);
      expect(forOther.status).toBe(202);
      await finishedImport(shop.app, admin.token, forOther.body.id);
      expect((await shop.http.get(`/api/v1/imports/${forOther.body.id}`, other.token)).status).toBe(200);
      expect((await shop.http.get(`/api/v1/imports/${forOther.body.id}`, shop.merchant.token)).status).toBe(404);
      expect((await shop.http.get(`/api/v1/imports/${forOther.body.id}/errors`, shop.merchant.token)).status).toBe(404);
      expect((await shop.http.get('/api/v1/imports/not-a-uuid', other.token)).status).toBe(422);
    });

    test('When the query is hostile (unknown type, unknown parameter, bad importId), then 422 naming it', async () => {
      const csv = productsCsv(1);
      const unknownType = await uploadCsv(shop.app, shop.merchant.token, csv, 'type=orders');
      expect(unknownType.status).toBe(422);
      expect(unknownType.body.errors[0].path).toBe('type');
      expect((await uploadCsv(shop.app, shop.merchant.token, csv, 'type=products&drop=table')).body.errors[0].path).toBe('drop');
      expect((await uploadCsv(shop.app, shop.merchant.token, csv, "type=products&importId=1' or 1=1")).body.errors[0].path).toBe('importId');
    });
  });
});
