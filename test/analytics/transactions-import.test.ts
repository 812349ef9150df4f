import type { EntityManager } from '@mikro-orm/postgresql';
import { importTransactionsCsv, MAVEN_ORDERS, putMavenMenu } from '../support/analytics.js';
import { uploadCsv } from '../support/imports.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const HEADER = 'order_id,timestamp,item,quantity,unit_price,unit_cost';

describe('importing transactions (POST /imports?type=transactions)', () => {
  const world = useWorld(); // role all: the import jobs run here
  const em = () => world.app.container.orm.em.fork() as EntityManager;
  const lineCount = async (merchantId: string) =>
    Number((await em().execute(`select count(*) as n from analytics_transactions where merchant_id = ?`, [merchantId]))[0].n);

  describe('the Maven restaurant export', () => {
    test('When order_details.csv is imported with the menu loaded as items, then 12,097 lines are stored and the 137 lines without an item are rejected with a reason', async () => {
      const merchant = await createUser(world.app, 'merchant');
      await putMavenMenu(world.app, merchant);

      const outcome = await importTransactionsCsv(world.app, merchant, MAVEN_ORDERS);

      expect(outcome).toMatchObject({ status: 'completed', rowsRead: 12_234, rowsUpserted: 12_097, rowsUnchanged: 0, rowsDuplicate: 0, rowsRejected: 137 });
      expect(outcome.rejected).toHaveLength(137);
      expect(new Set(outcome.rejected.map((r) => r.reason))).toEqual(new Set(['item_id: missing (the line names no menu item)']));
      // The 122nd line (order_details_id 122) is row 123 of the file, under the header.
      expect(outcome.rejected[0]).toEqual({ row: 123, key: '122', reason: 'item_id: missing (the line names no menu item)' });
      expect(await lineCount(merchant.id)).toBe(12_097);
      // Line 1: order 1, 1/01/2023 11:38:36 AM, item 109 (Korean Beef Bowl, 17.95), read in UTC (the default zone).
      const [first] = await em().execute(
        `select t.order_id, t.closed_at, t.quantity, t.unit_price_cents, i.name from analytics_transactions t join analytics_items i on i.id = t.item_id
         where t.merchant_id = ? and t.source = 'csv' and t.source_line_id = '1'`,
        [merchant.id],
      );
      expect(first).toMatchObject({ order_id: '1', quantity: 1, unit_price_cents: 1795, name: 'Korean Beef Bowl' });
      expect(new Date(first.closed_at).toISOString()).toBe('2023-01-01T11:38:36.000Z');
    }, 60_000);

    test('When the same file is imported again, then nothing is written and every line counts as unchanged', async () => {
      const merchant = await createUser(world.app, 'merchant');
      await putMavenMenu(world.app, merchant);
      await importTransactionsCsv(world.app, merchant, MAVEN_ORDERS);
      const before = await em().execute(`select count(*)::int as n, max(xmin::text::bigint) as x from analytics_transactions where merchant_id = ?`, [
        merchant.id,
      ]);

      const again = await importTransactionsCsv(world.app, merchant, MAVEN_ORDERS);

      expect(again).toMatchObject({ rowsRead: 12_234, rowsUpserted: 0, rowsUnchanged: 12_097, rowsRejected: 137 });
      expect(again.rejected).toHaveLength(137);
      // No line was rewritten (a rewritten row gets a new xmin).
      expect(
        await em().execute(`select count(*)::int as n, max(xmin::text::bigint) as x from analytics_transactions where merchant_id = ?`, [merchant.id]),
      ).toEqual(before);
      expect(await lineCount(merchant.id)).toBe(12_097);
    }, 60_000);

    test('When the merchant has no items with codes, then every line is rejected naming the unknown code', async () => {
      const merchant = await createUser(world.app, 'merchant');
      const outcome = await importTransactionsCsv(
        world.app,
        merchant,
        'order_details_id,order_id,order_date,order_time,item_id\n1,1,1/01/2023,11:38:36 AM,109\n',
      );
      expect(outcome.rejected).toEqual([{ row: 2, key: '1', reason: 'item_id: no item has code 109 (load the menu items first)' }]);
      expect(await lineCount(merchant.id)).toBe(0);
    });

    test('When a Maven file is already joined with item names and prices, then it needs no items beforehand and its categories fill the new items', async () => {
      const merchant = await createUser(world.app, 'merchant');
      const outcome = await importTransactionsCsv(
        world.app,
        merchant,
        'order_details_id,order_id,order_date,order_time,item_id,item_name,category,price\n7,3,13/01/2023,6:41:01 PM,101,Hamburger,American,12.95\n',
      );
      expect(outcome.rowsUpserted).toBe(1);
      const items = await world.http.get('/api/v1/analytics/items', merchant.token);
      expect(items.body.items).toEqual([{ name: 'Hamburger', category: 'American', code: null, priceCents: null, unitCostCents: null, productId: null }]);
      const [line] = await em().execute(`select closed_at, unit_price_cents from analytics_transactions where merchant_id = ?`, [merchant.id]);
      expect(new Date(line.closed_at).toISOString()).toBe('2023-01-13T18:41:01.000Z');
      expect(line.unit_price_cents).toBe(1295);
    });
  });

  describe('the standard shape', () => {
    test('When rows carry no line_id, then lines are named by their rank in the order, and a re-import with one price changed updates only that line', async () => {
      const merchant = await createUser(world.app, 'merchant');
      const csv = (price: string) =>
        `${HEADER}\nA1,2024-03-01T12:00:00Z,Soup,2,4.50,1.20\nA1,2024-03-01T12:00:00Z,Bread,1,${price},\nA1,2024-03-01T12:00:00Z,Soup,1,4.50,1.20\n`;
      const first = await importTransactionsCsv(world.app, merchant, csv('2.00'));
      expect(first).toMatchObject({ rowsUpserted: 3, rowsUnchanged: 0 });
      const again = await importTransactionsCsv(world.app, merchant, csv('2.20'));
      expect(again).toMatchObject({ rowsUpserted: 1, rowsUnchanged: 2 });
      const rows = await em().execute(
        `select source_line_id, unit_price_cents, unit_cost_cents, quantity from analytics_transactions where merchant_id = ? order by source_line_id`,
        [merchant.id],
      );
      expect(rows).toEqual([
        { source_line_id: 'A1#1', unit_price_cents: 450, unit_cost_cents: 120, quantity: 2 },
        { source_line_id: 'A1#2', unit_price_cents: 220, unit_cost_cents: null, quantity: 1 },
        { source_line_id: 'A1#3', unit_price_cents: 450, unit_cost_cents: 120, quantity: 1 },
      ]);
    });

    test('When a re-import changes no line but adds a category, then no line is rewritten and the category fills the item that had none', async () => {
      const merchant = await createUser(world.app, 'merchant');
      await importTransactionsCsv(world.app, merchant, `${HEADER}\nE1,2024-03-01T12:00:00Z,Tea,1,2.00,\nE1,2024-03-01T12:00:00Z,Cake,1,3.50,\n`);
      const xmins = () => em().execute(`select source_line_id, xmin::text as x from analytics_transactions where merchant_id = ? order by 1`, [merchant.id]);
      const before = await xmins();

      const again = await importTransactionsCsv(
        world.app,
        merchant,
        `${HEADER},category\nE1,2024-03-01T12:00:00Z,Tea,1,2.00,,Drinks\nE1,2024-03-01T12:00:00Z,Cake,1,3.50,,\n`,
      );

      expect(again).toMatchObject({ status: 'completed', rowsUpserted: 0, rowsUnchanged: 2 });
      expect(await xmins()).toEqual(before);
      const items = await world.http.get('/api/v1/analytics/items', merchant.token);
      expect(items.body.items.map((i: { name: string; category: string | null }) => [i.name, i.category]).sort()).toEqual([
        ['Cake', null],
        ['Tea', 'Drinks'],
      ]);
    });

    test('When timestamps have no offset, then they are read in the merchant time zone', async () => {
      const merchant = await createUser(world.app, 'merchant');
      expect((await world.http.put('/api/v1/analytics/settings', { timeZone: 'Europe/Paris' }, merchant.token)).status).toBe(200);
      await importTransactionsCsv(world.app, merchant, `${HEADER}\nB1,2024-07-14 20:30:00,Crêpe,1,6,\nB2,2024-01-14 20:30:00+00:00,Crêpe,1,6,\n`);
      const rows = await em().execute<Array<{ closed_at: Date }>>(
        `select order_id, closed_at from analytics_transactions where merchant_id = ? order by order_id`,
        [merchant.id],
      );
      expect(rows.map((r: { closed_at: Date }) => new Date(r.closed_at).toISOString())).toEqual(['2024-07-14T18:30:00.000Z', '2024-01-14T20:30:00.000Z']);
    });

    test('When a file repeats a line_id, then the later row wins and the earlier one counts as a duplicate', async () => {
      const merchant = await createUser(world.app, 'merchant');
      const outcome = await importTransactionsCsv(
        world.app,
        merchant,
        `${HEADER},line_id\nC1,2024-03-01T12:00:00Z,Tea,1,2.00,,L1\nC1,2024-03-01T12:00:00Z,Tea,3,2.00,,L1\n`,
      );
      expect(outcome).toMatchObject({ rowsRead: 2, rowsUpserted: 1, rowsDuplicate: 1 });
      const [line] = await em().execute(`select quantity from analytics_transactions where merchant_id = ?`, [merchant.id]);
      expect(line.quantity).toBe(3);
    });

    test.each([
      ['missing item', 'D1,2024-03-01T12:00:00Z,,1,2.00,', 'item: missing (a line without an item sells nothing)'],
      ['bad timestamp', 'D1,2024-02-30T12:00:00Z,Tea,1,2.00,', 'timestamp: day 30 does not exist in 2024-02'],
      ['zero quantity', 'D1,2024-03-01T12:00:00Z,Tea,0,2.00,', 'quantity: must not be 0'],
      ['bad price', 'D1,2024-03-01T12:00:00Z,Tea,1,2.999,', 'unit_price: "2.999" is not an amount like 12.95'],
      ['negative price', 'D1,2024-03-01T12:00:00Z,Tea,1,-2,', 'unit_price: "-2" is not an amount like 12.95'],
      ['SQL in a cell', "D1,2024-03-01T12:00:00Z,Tea,1,2'; drop table users; --,", `unit_price: "2'; drop table users; --" is not an amount like 12.95`],
    ])('When a row has a %s, then it is rejected with the reason and nothing is stored', async (_name, row, reason) => {
      const merchant = await createUser(world.app, 'merchant');
      const outcome = await importTransactionsCsv(world.app, merchant, `${HEADER}\n${row}\n`);
      expect(outcome.rejected).toEqual([{ row: 2, key: 'D1', reason }]);
      expect(await lineCount(merchant.id)).toBe(0);
    });

    test('When a header misses columns, has unknown ones or mixes the shapes, then the upload is refused (422) naming them', async () => {
      const merchant = await createUser(world.app, 'merchant');
      const refused = await uploadCsv(
        world.app,
        merchant.token,
        'order_id,timestamp,item,qty,unit_price\nA,2024-03-01T12:00:00Z,Tea,1,2\n',
        'type=transactions',
      );
      expect(refused.status).toBe(422);
      expect(refused.body.unknownColumns).toEqual(['qty']);
      expect(refused.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'header.quantity', message: expect.stringContaining('required column "quantity" is missing') }),
        ]),
      );
      const mixed = await uploadCsv(world.app, merchant.token, 'order_details_id,order_id,order_date,order_time,item_id,unit_price\n', 'type=transactions');
      expect(mixed.status).toBe(422);
      expect(mixed.body.errors).toEqual([
        expect.objectContaining({ path: 'header.unit_price', message: expect.stringContaining('does not belong to the maven shape') }),
      ]);
      const spelled = await importTransactionsCsv(world.app, merchant, '\uFEFFOrder_ID, Timestamp,ITEM,Quantity,Unit Price\nA,2024-03-01T12:00:00Z,Tea,1,2\n');
      expect(spelled).toMatchObject({ rowsUpserted: 1, rowsRejected: 0 });
    });

    test('When a dry run is asked, then it counts what would be inserted, updated and rejected and writes nothing', async () => {
      const merchant = await createUser(world.app, 'merchant');
      await putMavenMenu(world.app, merchant);
      await importTransactionsCsv(
        world.app,
        merchant,
        'order_details_id,order_id,order_date,order_time,item_id\n1,1,1/01/2023,11:38:36 AM,109\n2,1,1/01/2023,11:38:36 AM,108\n',
      );
      const csv =
        'order_details_id,order_id,order_date,order_time,item_id\n1,1,1/01/2023,11:38:36 AM,109\n2,1,1/01/2023,11:40:00 AM,108\n3,2,1/01/2023,12:00:00 PM,101\n4,2,1/01/2023,12:00:00 PM,999\n';
      const dry = await uploadCsv(world.app, merchant.token, csv, 'type=transactions&dryRun=true');
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({
        wouldInsert: 1,
        wouldUpdate: 1,
        unchanged: 1,
        rejected: 1,
        rejections: [{ row: 5, sku: '4', reason: 'item_id: no item has code 999 (load the menu items first)' }],
      });
      expect(await lineCount(merchant.id)).toBe(2);
    });

    test('When returns are imported as negative quantities, then they are stored as negative lines', async () => {
      const merchant = await createUser(world.app, 'merchant');
      await importTransactionsCsv(world.app, merchant, `${HEADER}\nE1,2024-03-01T12:00:00Z,Tea,2,2.00,\nE2,2024-03-02T12:00:00Z,Tea,-1,2.00,\n`);
      const [sum] = await em().execute(`select sum(quantity * unit_price_cents)::int as revenue from analytics_transactions where merchant_id = ?`, [
        merchant.id,
      ]);
      expect(sum.revenue).toBe(200);
    });
  });

  describe('two merchants', () => {
    test('When two merchants import the same line ids, then each keeps their own lines', async () => {
      const [a, b] = [await createUser(world.app, 'merchant'), await createUser(world.app, 'merchant')];
      const csv = `${HEADER},line_id\nF1,2024-03-01T12:00:00Z,Tea,1,2.00,,L1\n`;
      await Promise.all([importTransactionsCsv(world.app, a, csv), importTransactionsCsv(world.app, b, csv)]);
      expect([await lineCount(a.id), await lineCount(b.id)]).toEqual([1, 1]);
    });
  });
});
