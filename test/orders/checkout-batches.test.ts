import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PlaceOrderInput, type PlacedOrder } from '../../domain/orders/index.js';
import type { AppError } from '../../domain/shared/app-error.js';
import { startChildLarder, type ChildLarder } from '../support/child-larder.js';
import { countRows, placeOrder, stockOf } from '../support/orders.js';
import { createProduct } from '../support/products.js';
import { useShop } from '../support/shop.js';
import { createUser, type TestUser } from '../support/users.js';

type Answer = { ok: true; placed: PlacedOrder } | { ok: false; code: string; error: AppError };

describe('checkout batches (group commit)', () => {
  const shop = useShop();
  const em = () => shop.app.container.orm.em.fork() as EntityManager;

  /**
   * Checkouts through the service the REST and socket handlers call, all submitted in the same tick so
   * they share a batch (up to its size): what HTTP requests arriving together get under load.
   */
  const submit = (customer: TestUser, body: unknown, key: string = randomUUID()): Promise<Answer> =>
    shop.app.container.modules.orders.checkout.place({ id: customer.id, role: 'customer' }, PlaceOrderInput.parse(body), key).then(
      (placed): Answer => ({ ok: true, placed }),
      (error: AppError): Answer => ({ ok: false, code: error.code, error }),
    );
  const customers = (n: number) => Promise.all(Array.from({ length: n }, () => createUser(shop.app)));
  const unitsOrdered = async (productId: string) =>
    Number((await em().execute<Array<{ n: string }>>(`select coalesce(sum(quantity), 0) as n from order_items where product_id = ?`, [productId]))[0].n);
  /** Orders written by one batch share their created_at (the batch's transaction time). */
  const batchesOf = async (orderIds: string[]) =>
    Number((await em().execute<Array<{ n: string }>>(`select count(distinct created_at) as n from orders where id in (?)`, [orderIds]))[0].n);
  const line = (productId: string, quantity = 1) => ({ items: [{ productId, quantity }] });

  test('When 1,000 checkouts race for 100 units, then exactly 100 orders exist, 900 are OUT_OF_STOCK and stock is 0', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 100 });
    const buyers = await customers(200);
    const ordersBefore = await countRows(shop.app, 'orders');

    // All 1,000 at once (over HTTP, 1,000 simultaneous connections overflow the listen backlog of a loaded test box).
    const answers = await Promise.all(Array.from({ length: 1_000 }, (_, i) => submit(buyers[i % buyers.length], line(product.id))));

    const created = answers.flatMap((a) => (a.ok ? [a.placed.order.id] : []));
    const refused = answers.flatMap((a) => (a.ok ? [] : [a.code]));
    expect(created).toHaveLength(100);
    expect(refused).toEqual(Array(900).fill('OUT_OF_STOCK'));
    expect(new Set(created).size).toBe(100);
    expect(await stockOf(shop.app, product.id)).toEqual([0]);
    expect((await countRows(shop.app, 'orders')) - ordersBefore).toBe(100);
    expect(await unitsOrdered(product.id)).toBe(100);
    // Group commit happened: fewer transactions than orders.
    expect(await batchesOf(created)).toBeLessThan(100);
  }, 120_000);

  test('When 300 checkouts race over HTTP for 100 units, then exactly 100 orders exist and the others are OUT_OF_STOCK', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 100 });
    const buyers = await customers(100);

    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => placeOrder(shop.app, buyers[i % buyers.length], line(product.id))));

    expect(results.filter((r) => r.status === 201)).toHaveLength(100);
    for (const r of results.filter((x) => x.status !== 201)) expect(r).toMatchObject({ status: 409, body: { code: 'OUT_OF_STOCK' } });
    expect(await stockOf(shop.app, product.id)).toEqual([0]);
    expect(await unitsOrdered(product.id)).toBe(100);
  }, 120_000);

  test('When the stock mirror overstates stock, then the database decides within the batch: no oversell', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 100 });
    // Sold elsewhere behind the mirror's back: Redis still holds 100 for every checkout, PostgreSQL has 40.
    await em().execute(`update products set stock = 40 where id = ?`, [product.id]);
    const buyers = await customers(100);

    const answers = await Promise.all(buyers.map((b) => submit(b, line(product.id))));

    expect(answers.filter((a) => a.ok)).toHaveLength(40);
    expect(answers.filter((a) => !a.ok).map((a) => !a.ok && a.code)).toEqual(Array(60).fill('OUT_OF_STOCK'));
    expect(await stockOf(shop.app, product.id)).toEqual([0]);
    expect(await unitsOrdered(product.id)).toBe(40);
    // Decided from the locked stock inside the batch, not by rerunning its orders one transaction each.
    expect(await batchesOf(answers.flatMap((a) => (a.ok ? [a.placed.order.id] : [])))).toBeLessThanOrEqual(2);
    // The refused ones got their own shortfall, in arrival order: the first refused saw none left.
    const refusal = answers.find((a) => !a.ok) as { error: AppError };
    expect(refusal.error.details).toMatchObject({ items: [{ productId: product.id, requested: 1, available: 0 }] });
  }, 60_000);

  test('When a batch overruns the stock with mixed quantities, then orders are served in arrival order and a smaller later one can still fit', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 100 });
    await em().execute(`update products set stock = 5 where id = ?`, [product.id]); // the mirror still says 100
    const buyers = await customers(4);

    const answers = await Promise.all([
      submit(buyers[0], line(product.id, 3)),
      submit(buyers[1], line(product.id, 3)),
      submit(buyers[2], line(product.id, 2)),
      submit(buyers[3], line(product.id, 1)),
    ]);

    expect(answers.map((a) => (a.ok ? 'placed' : a.code))).toEqual(['placed', 'OUT_OF_STOCK', 'placed', 'OUT_OF_STOCK']);
    expect((answers[1] as { error: AppError }).error.details).toMatchObject({ items: [{ productId: product.id, requested: 3, available: 2 }] });
    expect(await stockOf(shop.app, product.id)).toEqual([0]);
    expect(await unitsOrdered(product.id)).toBe(5);
  }, 60_000);

  test('When one customer sends several orders past a per-customer cap in one batch, then only the ones within the cap are placed', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 100, maxPerCustomer: 2 });
    const [capped, other, third] = await customers(3);
    expect((await submit(capped, line(product.id))).ok).toBe(true); // an earlier order counts

    const answers = await Promise.all([
      submit(capped, line(product.id)),
      submit(other, line(product.id)),
      submit(capped, line(product.id)),
      submit(other, line(product.id)),
      submit(capped, line(product.id)),
      submit(third, line(product.id, 2)),
    ]);

    expect(answers.map((a) => (a.ok ? 'placed' : a.code))).toEqual(['placed', 'placed', 'VALIDATION', 'placed', 'VALIDATION', 'placed']);
    expect((answers[2] as { error: AppError }).error.details).toMatchObject({ errors: [{ path: 'items.0.quantity' }] });
    expect(await batchesOf(answers.flatMap((a) => (a.ok ? [a.placed.order.id] : [])))).toBe(1);
    expect(await stockOf(shop.app, product.id)).toEqual([100 - 1 - 5]);
    const perCustomer = await em().execute<Array<{ customer_id: string; n: string }>>(
      `select o.customer_id, sum(oi.quantity) as n from orders o join order_items oi on oi.order_id = o.id where oi.product_id = ? group by o.customer_id`,
      [product.id],
    );
    expect(Object.fromEntries(perCustomer.map((r) => [r.customer_id, Number(r.n)]))).toEqual({ [capped.id]: 2, [other.id]: 2, [third.id]: 2 });
    // The refusal is stored with its key: a retry replays it.
    const retry = await submit(capped, line(product.id), (await keysOf(capped.id)).find((k) => k.outcome === 'refused')!.key);
    expect(retry).toMatchObject({ ok: false, code: 'VALIDATION', error: { details: { replayed: true } } });
  }, 60_000);

  test('When one key is sent several times inside a batch, then one order is made and each repeat gets the same answer', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 50 });
    const [twice, ...others] = await customers(11);
    const body = line(product.id, 2);

    const answers = await Promise.all([
      submit(twice, body, 'flash-1'),
      ...others.map((o) => submit(o, line(product.id))),
      submit(twice, body, 'flash-1'),
      submit(twice, body, 'flash-1'),
      submit(twice, line(product.id, 3), 'flash-1'),
    ]);

    const mine = [answers[0], answers[11], answers[12]];
    const ids = mine.map((a) => (a.ok ? a.placed.order.id : a.code));
    expect(new Set(ids).size).toBe(1);
    expect(mine.map((a) => a.ok && a.placed.replayed)).toEqual([false, true, true]);
    expect(mine.map((a) => a.ok && a.placed.order)).toEqual(Array(3).fill((mine[0] as { placed: PlacedOrder }).placed.order));
    expect(answers[13]).toMatchObject({ ok: false, code: 'IDEMPOTENCY_MISMATCH' });
    expect(answers.slice(1, 11).every((a) => a.ok)).toBe(true);
    expect(await stockOf(shop.app, product.id)).toEqual([50 - 2 - 10]);
    const [row] = await em().execute<Array<{ n: string }>>(`select count(*) as n from orders where customer_id = ?`, [twice.id]);
    expect(Number(row.n)).toBe(1);
  }, 60_000);

  test('When orders of one batch are refused for their own reasons, then the others are placed in the same transaction', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 100, priceCents: 300 });
    const scarce = await createProduct(shop.app, shop.merchant, { stock: 1 });
    const buyers = await customers(23);

    const answers = await Promise.all([
      ...buyers.slice(0, 10).map((b) => submit(b, line(product.id))),
      submit(buyers[10], line(randomUUID())),
      submit(buyers[11], { ...line(product.id), expectedTotalCents: 250 }),
      submit(buyers[12], line(scarce.id, 2)),
      ...buyers.slice(13).map((b) => submit(b, line(product.id))),
    ]);

    expect(answers.slice(10, 13).map((a) => !a.ok && a.code)).toEqual(['VALIDATION', 'PRICE_CHANGED', 'OUT_OF_STOCK']);
    const placed = [...answers.slice(0, 10), ...answers.slice(13)];
    expect(placed.every((a) => a.ok)).toBe(true);
    expect(await batchesOf(placed.map((a) => (a.ok ? a.placed.order.id : '')))).toBe(1);
    expect(await stockOf(shop.app, product.id, scarce.id)).toEqual([80, 1]);
    // A refusal is stored with its key: the retry replays it.
    const retry = await submit(buyers[12], line(scarce.id, 2), (await keyOf(buyers[12].id))!);
    expect(retry).toMatchObject({ ok: false, code: 'OUT_OF_STOCK', error: { details: { replayed: true } } });
  }, 60_000);

  test('When one order of a batch breaks a constraint, then the batch is rerun order by order and only that one fails', async () => {
    const product = await createProduct(shop.app, shop.merchant, { stock: 100 });
    const buyers = await customers(20);
    const gone = await createUser(shop.app);
    await em().getConnection().execute('delete from users where id = ?', [gone.id]); // behind the API: its token still verifies

    const answers = await Promise.all([
      ...buyers.slice(0, 10).map((b) => submit(b, line(product.id))),
      submit(gone, line(product.id)),
      ...buyers.slice(10).map((b) => submit(b, line(product.id))),
    ]);

    expect(answers[10]).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(answers.filter((a) => a.ok)).toHaveLength(20);
    expect(await stockOf(shop.app, product.id)).toEqual([80]);
    expect(await unitsOrdered(product.id)).toBe(20);
    expect(await keyOf(gone.id)).toBeUndefined();
  }, 60_000);

  describe('two server instances', () => {
    let other: ChildLarder | undefined;
    afterAll(async () => other?.kill('SIGTERM'));

    test('When two instances batch checkouts of the same product at once, then the database arbitrates: no oversell', async () => {
      other = await startChildLarder(shop.env, { PROCESS_ROLE: 'server' });
      const product = await createProduct(shop.app, shop.merchant, { stock: 100 });
      // The shared mirror lets 100 through; PostgreSQL has 60, so both instances' batches meet the guard.
      await em().execute(`update products set stock = 60 where id = ?`, [product.id]);
      const buyers = await customers(100);
      const secondApp = { ...shop.app, url: other.url } as typeof shop.app;

      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) => placeOrder(i % 2 ? secondApp : shop.app, buyers[i % buyers.length], line(product.id))),
      );

      const created = results.filter((r) => r.status === 201);
      expect(created).toHaveLength(60);
      for (const r of results.filter((x) => x.status !== 201)) expect(r).toMatchObject({ status: 409, body: { code: 'OUT_OF_STOCK' } });
      expect(await stockOf(shop.app, product.id)).toEqual([0]);
      expect(await unitsOrdered(product.id)).toBe(60);
    }, 150_000);
  });

  async function keysOf(userId: string): Promise<Array<{ key: string; outcome: string }>> {
    return em().execute<Array<{ key: string; outcome: string }>>(`select key, outcome from idempotency_keys where user_id = ?`, [userId]);
  }

  async function keyOf(userId: string): Promise<string | undefined> {
    const [row] = await em().execute<Array<{ key: string }>>(`select key from idempotency_keys where user_id = ?`, [userId]);
    return row?.key;
  }
});
