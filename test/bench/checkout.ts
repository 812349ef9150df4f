import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { IDEMPOTENCY_TTL_MS, requestHash } from '../../domain/orders/idempotency.js';
import { benchEnv, cleanUp, cpuMeters, insertProducts, insertUsers, loadAverage, mirrorStock, pause, signTokens, type BenchUser } from './bench-support.js';
import { closedLoop, fmt, summarize } from './stats.js';
import { startServerProcess } from './server-process.js';

/**
 * `npm run bench -- checkout [--quick] [--only hot|cold] [--clients 64] [--seconds 15] [--cold-products 1000] [--warmup-seconds 3] [--lazy-mirror]`
 *
 * REST checkouts (POST /api/v1/orders, a fresh Idempotency-Key each, one line of quantity 1) through a
 * real server process, each concurrent client its own customer with its own token, in a closed loop:
 *   hot product (stock 10 M) at 16 and at 64 clients; 1,000 cold products (random one per request) at 64.
 * Baseline in the same run, just before each HTTP run and at the same concurrency: the same
 * transaction written by hand with `pg` (a Pool as large as the server's, DATABASE_POOL_MAX, default
 * 20), statement for statement what CheckoutService + stock-ledger + IdempotencyStore send:
 *   BEGIN; claim idempotency key (INSERT … ON CONFLICT … RETURNING); read the products; lock them
 *   (SELECT … ORDER BY id FOR NO KEY UPDATE); guarded UPDATE … WHERE stock >= n RETURNING; INSERT
 *   orders, order_items, order_merchants, order_status_changes; store the response on the key; INSERT the
 *   order.created outbox row; COMMIT. One order per transaction: the per-order path the server replaced.
 * (What the server adds on top: HTTP + auth + validation, the Redis hold before the stock update and its
 * consumption after commit, the stock push and the order push; what it saves: group commit, several
 * concurrent checkouts written by one transaction. Orders of one batch share created_at, so the bench
 * prints the mean batch size of each run.)
 * Products are inserted with `pg` and their stock written into the Redis mirror as the API (product.created)
 * or `npm run inventory:rebuild` would; `--lazy-mirror` skips that, so the server loads each product on
 * its first checkout (inside the checkout's transaction: see the report on pool exhaustion).
 * At the end, with the server stopped: every product's initial stock − current stock = the quantity
 * in order_items, and pg_stat_database.deadlocks did not move.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      seconds: { type: 'string' },
      'warmup-seconds': { type: 'string' },
      'cold-products': { type: 'string' },
      only: { type: 'string' },
      clients: { type: 'string' },
      'lazy-mirror': { type: 'boolean', default: false },
    },
  });
  const quick = values.quick || process.env.BENCH_QUICK === '1';
  const seconds = Number(values.seconds ?? process.env.BENCH_SECONDS ?? (quick ? 3 : 15));
  const warmupSeconds = Number(values['warmup-seconds'] ?? (quick ? 1 : 3));
  const coldCount = Number(values['cold-products'] ?? 1_000);
  const poolMax = Number(process.env.DATABASE_POOL_MAX ?? 20);
  const scenarios = [
    { name: 'hot product', concurrency: 16, hot: true },
    { name: 'hot product', concurrency: 64, hot: true },
    { name: `${coldCount} cold products`, concurrency: 64, hot: false },
  ]
    .filter((s) => !values.only || (values.only === 'hot') === s.hot)
    .filter((s) => !values.clients || s.concurrency === Number(values.clients));
  const maxConcurrency = Math.max(...scenarios.map((s) => s.concurrency));

  const env = benchEnv('checkout', { DATABASE_POOL_MAX: String(poolMax) });
  console.log(
    `checkout bench${quick ? ' (quick)' : ''}: ${seconds} s per run, server and raw pools of ${poolMax} connections; ` +
      `database ${env.dbName}, Redis prefix ${env.redisPrefix} (both removed at the end); load average ${loadAverage()}`,
  );

  const server = await startServerProcess(env.serverEnv);
  const admin = new pg.Client({ connectionString: env.adminUrl });
  await admin.connect();
  const raw = new pg.Pool({ connectionString: env.databaseUrl, max: poolMax });
  let serverStopped = false;
  try {
    const deadlocksBefore = await deadlocks(admin, env.dbName);
    const seeded = await seed(raw, maxConcurrency, coldCount);
    if (values['lazy-mirror']) console.log('Redis stock mirror left empty: the server loads each product lazily on its first checkout');
    else await mirrorStock(env, seeded.initialStock); // as the API's product.created / inventory:rebuild would
    const hotHash = requestHash('orders.place', { items: [{ productId: seeded.hot, quantity: 1, addonIds: [] }] });
    const pickCold = () => seeded.cold[Math.floor(Math.random() * seeded.cold.length)];

    const httpErrors = new Map<string, number>();
    const rawErrors = new Map<string, number>();
    const http = (token: string, productId: string) => async () => {
      const res = await fetch(`${server.url}/api/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ items: [{ productId, quantity: 1 }] }),
        signal: AbortSignal.timeout(30_000),
      }).catch((err: Error) => {
        const code = `fetch: ${(err.cause as Error | undefined)?.message ?? err.message}`;
        httpErrors.set(code, (httpErrors.get(code) ?? 0) + 1);
        throw err;
      });
      const text = await res.text();
      if (res.status !== 201) {
        const code = `${res.status} ${(/"code":"([A-Z_]+)"/.exec(text) ?? [])[1] ?? ''}`.trim();
        httpErrors.set(code, (httpErrors.get(code) ?? 0) + 1);
        throw new Error(code);
      }
    };
    const rawTx = (customer: BenchUser, productId: string) => () =>
      rawCheckout(
        raw,
        customer.id,
        productId,
        productId === seeded.hot ? hotHash : requestHash('orders.place', { items: [{ productId, quantity: 1, addonIds: [] }] }),
      ).catch((err: Error) => {
        rawErrors.set(err.message, (rawErrors.get(err.message) ?? 0) + 1);
        throw err;
      });

    // Warm-up on both paths (JIT, pools, the hot product's stock mirror).
    let tokens = await signTokens(env.jwtSecret, seeded.customers);
    await closedLoop(16, warmupSeconds * 1000, (w) => rawTx(seeded.customers[w], seeded.hot)());
    await closedLoop(16, warmupSeconds * 1000, (w) => http(tokens[w], seeded.hot)());
    httpErrors.clear();
    rawErrors.clear();

    const results: Array<{ label: string; concurrency: number; hot: boolean; http: ReturnType<typeof summarize>; raw: ReturnType<typeof summarize> }> = [];
    for (const s of scenarios) {
      const label = `${s.name}, ${s.concurrency} clients`;
      const pick = () => (s.hot ? seeded.hot : pickCold());
      tokens = await signTokens(env.jwtSecret, seeded.customers); // 5-minute tokens: fresh for every run

      let cpu = cpuMeters({ server: server.pid });
      const rawRun = await closedLoop(s.concurrency, seconds * 1000, (w) => rawTx(seeded.customers[w], pick())());
      const rawCpu = cpu();
      const rawStats = summarize(rawRun.latencies, rawRun.elapsedMs);
      await pause(1_000);

      const httpStart = new Date();
      cpu = cpuMeters({ server: server.pid });
      const httpRun = await closedLoop(s.concurrency, seconds * 1000, (w) => http(tokens[w], pick())());
      const httpCpu = cpu();
      const httpStats = summarize(httpRun.latencies, httpRun.elapsedMs);
      await pause(1_000);
      const batching = await batchSizes(raw, httpStart);

      console.log(`\n[${label}]`);
      console.log(
        `raw pg transaction (pool ${poolMax}): ${fmt(rawStats.perSecond)} tx/s, p50 ${fmt(rawStats.p50)} ms, p95 ${fmt(rawStats.p95)} ms, ` +
          `p99 ${fmt(rawStats.p99)} ms, ${rawStats.count} ok, ${errorText(rawErrors)}; load generator CPU ${fmt(rawCpu.generator)}%`,
      );
      console.log(
        `HTTP checkouts: ${fmt(httpStats.perSecond)} checkouts/s, p50 ${fmt(httpStats.p50)} ms, p95 ${fmt(httpStats.p95)} ms, ` +
          `p99 ${fmt(httpStats.p99)} ms, ${httpStats.count} ok, ${errorText(httpErrors)}; ` +
          `CPU (% of one core): server ${fmt(httpCpu.server)}, load generator ${fmt(httpCpu.generator)}; ` +
          `server CPU per checkout ${fmt((httpCpu.server / 100 / httpStats.perSecond) * 1e6, 0)} µs; ` +
          `${batching.orders} orders in ${batching.batches} transactions (${fmt(batching.orders / Math.max(1, batching.batches))} per batch)`,
      );
      console.log(`ratio HTTP ÷ raw: ${fmt(httpStats.perSecond / rawStats.perSecond, 3)}`);
      results.push({ label, concurrency: s.concurrency, hot: s.hot, http: httpStats, raw: rawStats });
      httpErrors.clear();
      rawErrors.clear();
    }

    // Verification with the server stopped: its backends exit, so their statistics are flushed too.
    await server.stop();
    serverStopped = true;
    await raw.end();
    await pause(1_000);
    const check = await verify(env.databaseUrl, seeded.initialStock);
    const deadlocksAfter = await deadlocks(admin, env.dbName);

    console.log(
      `\nverification: ${check.products} products, ${check.mismatched} where initial − current stock ≠ quantity ordered ` +
        `(${check.unitsSold} units sold, ${check.orders} orders, ${check.orderItems} order lines, ${check.completedKeys} completed idempotency keys); ` +
        `deadlocks ${deadlocksBefore} → ${deadlocksAfter}`,
    );
    for (const r of results) {
      const ratio = r.http.perSecond / r.raw.perSecond;
      const perf =
        r.hot && r.concurrency >= 64
          ? ` ≥ 1.5× raw with p99 ≤ 100 ms: ${fmt(ratio, 3)}× at p99 ${fmt(r.http.p99)} ms (raw per-order transaction: ${fmt(r.raw.perSecond)} tx/s at p99 ${fmt(r.raw.p99)} ms) ${ratio >= 1.5 && r.http.p99 <= 100 ? 'MET' : 'MISSED'};`
          : '';
      console.log(`target [${r.label}]${perf} ratio ≥ 0.3: ${fmt(ratio, 3)} ${ratio >= 0.3 ? 'MET' : 'MISSED'}`);
    }
    const consistent = check.mismatched === 0 && check.orders === check.orderItems && deadlocksAfter === deadlocksBefore;
    console.log(`orders = stock decrease and zero deadlocks: ${consistent ? 'MET' : 'MISSED'}`);
  } finally {
    if (!serverStopped) {
      await server.stop();
      await raw.end().catch(() => {});
    }
    await admin.end();
    await cleanUp(env);
  }
}

interface Seeded {
  merchantId: string;
  customers: BenchUser[];
  hot: string;
  cold: string[];
  initialStock: Map<string, number>;
}

const HOT_STOCK = 10_000_000;
const COLD_STOCK = 1_000_000;

async function seed(db: pg.Pool, customers: number, cold: number): Promise<Seeded> {
  const [merchant] = await insertUsers(db, 1, 'merchant');
  const users = await insertUsers(db, customers, 'customer');
  const [hot] = await insertProducts(db, merchant.id, 1, HOT_STOCK);
  const coldIds = await insertProducts(db, merchant.id, cold, COLD_STOCK);
  const initialStock = new Map<string, number>([[hot, HOT_STOCK], ...coldIds.map((id) => [id, COLD_STOCK] as [string, number])]);
  return { merchantId: merchant.id, customers: users, hot, cold: coldIds, initialStock };
}

/** The checkout transaction by hand, in the order and shape the server sends it (see the header). */
async function rawCheckout(pool: pg.Pool, customerId: string, productId: string, hash: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const key = randomUUID();
    const now = new Date();
    const claimed = await client.query(
      `insert into idempotency_keys (user_id, key, request_hash, outcome, response, created_at)
       values ($1, $2, $3, 'pending', '{}', $4)
       on conflict (user_id, key) do update
         set request_hash = excluded.request_hash, outcome = 'pending', response = '{}', created_at = excluded.created_at
         where idempotency_keys.created_at < $5
       returning 1 as claimed`,
      [customerId, key, hash, now, new Date(now.getTime() - IDEMPOTENCY_TTL_MS)],
    );
    if (claimed.rowCount !== 1) throw new Error('KEY_TAKEN');
    const { rows: products } = await client.query<{ id: string; merchant_id: string; name: string; price_cents: number; currency: string }>(
      `select id, merchant_id, name, price_cents, currency, kind, active from products where id in ($1)`,
      [productId],
    );
    const product = products[0];
    await client.query(`select id from products where id in ($1) order by id for no key update`, [productId]);
    const taken = await client.query(
      `update products p set stock = p.stock - v.n from (values ($1::uuid, $2::int)) as v(id, n)
       where p.id = v.id and p.stock >= v.n returning p.id, p.stock, p.stock_version`,
      [productId, 1],
    );
    if (taken.rowCount !== 1) throw new Error('OUT_OF_STOCK');
    const orderId = randomUUID();
    await client.query(
      `insert into orders (id, customer_id, status, total_cents, currency, delivery_address, locality, driver_id, created_at, updated_at)
       values ($1, $2, 'placed', $3, $4, null, null, null, $5, $5)`,
      [orderId, customerId, product.price_cents, product.currency, now],
    );
    await client.query(
      `insert into order_items (id, order_id, product_id, merchant_id, parent_item_id, name, quantity, unit_price_cents, position)
       values ($1, $2, $3, $4, null, $5, 1, $6, 0)`,
      [randomUUID(), orderId, productId, product.merchant_id, product.name, product.price_cents],
    );
    await client.query(`insert into order_merchants (merchant_id, order_id, created_at) values ($1, $2, $3)`, [product.merchant_id, orderId, now]);
    await client.query(`insert into order_status_changes (id, order_id, status, at, by_user_id, by_role) values ($1, $2, 'placed', $3, $4, 'customer')`, [
      randomUUID(),
      orderId,
      now,
      customerId,
    ]);
    const view = {
      id: orderId,
      customerId,
      status: 'placed',
      items: [{ productId, name: product.name, quantity: 1, unitPriceCents: product.price_cents, addons: [] }],
      totalCents: product.price_cents,
      currency: product.currency,
      deliveryAddress: null,
      driverId: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      history: [{ status: 'placed', at: now.toISOString(), by: customerId }],
    };
    await client.query(`update idempotency_keys set outcome = 'created', response = $1 where user_id = $2 and key = $3`, [
      JSON.stringify(view),
      customerId,
      key,
    ]);
    // The order.created event for its durable consumers (webhooks), as the unit of work writes it.
    await client.query(`insert into outbox (id, name, payload, occurred_at, available_at) values ($1, 'order.created', $2, $3, $3)`, [
      randomUUID(),
      JSON.stringify({ order: view, merchantIds: [product.merchant_id] }),
      now.toISOString(),
    ]);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Orders written since `since`, and in how many transactions (a batch's orders share created_at). */
async function batchSizes(db: pg.Pool, since: Date): Promise<{ orders: number; batches: number }> {
  const { rows } = await db.query<{ orders: string; batches: string }>(
    `select count(*) as orders, count(distinct created_at) as batches from orders where created_at >= $1`,
    [since],
  );
  return { orders: Number(rows[0].orders), batches: Number(rows[0].batches) };
}

async function verify(databaseUrl: string, initialStock: Map<string, number>) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string; stock: number; sold: string }>(
      `select p.id, p.stock, coalesce(sum(oi.quantity), 0) as sold from products p left join order_items oi on oi.product_id = p.id group by p.id, p.stock`,
    );
    let mismatched = 0;
    let unitsSold = 0;
    for (const r of rows) {
      const initial = initialStock.get(r.id);
      if (initial === undefined) continue;
      unitsSold += Number(r.sold);
      if (initial - r.stock !== Number(r.sold)) mismatched++;
    }
    const [counts] = (
      await db.query<{ orders: string; items: string; keys: string }>(
        `select (select count(*) from orders) as orders, (select count(*) from order_items) as items,
                (select count(*) from idempotency_keys where outcome = 'created') as keys`,
      )
    ).rows;
    return {
      products: rows.length,
      mismatched,
      unitsSold,
      orders: Number(counts.orders),
      orderItems: Number(counts.items),
      completedKeys: Number(counts.keys),
    };
  } finally {
    await db.end();
  }
}

async function deadlocks(admin: pg.Client, dbName: string): Promise<number> {
  await admin.query('select pg_stat_clear_snapshot()');
  const { rows } = await admin.query<{ deadlocks: string }>(`select deadlocks from pg_stat_database where datname = $1`, [dbName]);
  return Number(rows[0]?.deadlocks ?? 0);
}

function errorText(errors: Map<string, number>): string {
  const total = [...errors.values()].reduce((a, b) => a + b, 0);
  return total === 0 ? '0 errors' : `${total} errors (${[...errors].map(([c, n]) => `${c} ${n}`).join(', ')})`;
}
