import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { localTime } from '../../domain/shared/time-zones.js';
import { benchEnv, cleanUp, cpuMeters, insertUsers, loadAverage, pause, signTokens } from './bench-support.js';
import { startServerProcess } from './server-process.js';
import { fmt } from './stats.js';

const LOCALITY = 'bench-town';

/**
 * `npm run bench -- reminders [--quick] [--customers 100000] [--ordered 0.3] [--batch 5000]`
 *
 * One locality with 100,000 customers, 30 % of whom ordered from today's meal set. An admin's
 * "send now" (POST /localities/:slug/reminders) through a real server process (role all: the Agenda
 * job walks the customers in batches and announces each as a durable event; the notifications
 * module's outbox consumer inserts the notifications, pushes them to sockets and queues other
 * channels). Measured: from the request until every reminder exists, and until the job reports the
 * run completed. Checked: exactly 70,000 notifications, none for a customer who ordered.
 * Baseline in the same run, before ours: the same anti-join INSERT … SELECT as one statement through
 * `pg` (customers of the locality without a live order from the set, ON CONFLICT DO NOTHING), under
 * another subject, then deleted. BENCH_SERVER_LOG_LEVEL=info shows the server's per-batch progress lines.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { quick: { type: 'boolean', default: false }, customers: { type: 'string' }, ordered: { type: 'string' }, batch: { type: 'string' } },
  });
  const quick = values.quick || process.env.BENCH_QUICK === '1';
  const customerCount = Number(values.customers ?? (quick ? 20_000 : 100_000));
  const orderedShare = Number(values.ordered ?? 0.3);
  const batch = values.batch ?? '5000';
  const env = benchEnv('reminders', { PROCESS_ROLE: 'all', REMINDER_BATCH_SIZE: batch, LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn' });
  console.log(
    `reminders bench${quick ? ' (quick)' : ''}: ${customerCount} customers, ${orderedShare * 100}% ordered, batches of ${batch}; ` +
      `database ${env.dbName}, Redis prefix ${env.redisPrefix} (both removed at the end); load average ${loadAverage()}`,
  );
  const server = await startServerProcess(env.serverEnv);
  const db = new pg.Pool({ connectionString: env.databaseUrl, max: 4 });
  try {
    const seeded = await seed(db, customerCount, orderedShare);
    const expected = customerCount - seeded.ordered;
    console.log(
      `seeded: ${customerCount} customers, ${seeded.ordered} orders from today's set (${seeded.date} in ${seeded.timeZone}); expecting ${expected} reminders`,
    );

    const raw = await rawAntiJoin(db, seeded);
    console.log(
      `raw anti-join INSERT … SELECT (one statement): ${raw.inserted} rows in ${fmt(raw.ms, 0)} ms (${fmt(raw.inserted / (raw.ms / 1000), 0)} rows/s)`,
    );
    await db.query(`delete from notifications where subject = $1`, [raw.subject]);
    await db.query(`vacuum analyze notifications`);
    await pause(1_000);

    const [admin] = await signTokens(env.jwtSecret, [seeded.admin]);
    const cpu = cpuMeters({ server: server.pid });
    const started = performance.now();
    const res = await fetch(`${server.url}/api/v1/localities/${LOCALITY}/reminders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: '{}',
    });
    if (res.status !== 202) throw new Error(`send-now answered ${res.status}: ${await res.text()}`);
    const timings = await waitForReminders(db, server.url, env.serverEnv.METRICS_TOKEN, `${LOCALITY}/${seeded.date}`, expected, started);
    const used = cpu();
    await pause(2_000); // room for a wrong extra reminder
    const check = await verify(db, `${LOCALITY}/${seeded.date}`, seeded.mealSetId);

    console.log(
      `server: all ${expected} reminders in ${fmt(timings.allMs, 0)} ms (${fmt(expected / (timings.allMs / 1000), 0)} notifications/s); ` +
        `job reported completed at ${fmt(timings.jobMs, 0)} ms; CPU (% of one core) server ${fmt(used.server)}`,
    );
    console.log(
      `checks: ${check.total} reminders (expected ${expected}), ${check.toOrdered} to customers who ordered (expected 0), ${check.duplicates} duplicates`,
    );
    console.log(`ratio server ÷ raw (time): ${fmt(timings.allMs / raw.ms, 2)}`);
    if (check.total !== expected || check.toOrdered !== 0 || check.duplicates !== 0) throw new Error('reminder counts are wrong');
  } finally {
    await db.end();
    await server.stop();
    await cleanUp(env);
  }
}

interface Seeded {
  admin: { id: string; role: 'admin' };
  mealSetId: string;
  date: string;
  timeZone: string;
  ordered: number;
}

/** The fixed-offset zone where it is now about noon, so today's set is open however late the bench runs. */
function noonZone(): string {
  const offset = Math.round(12 - (new Date().getUTCHours() + new Date().getUTCMinutes() / 60));
  const bounded = Math.max(-12, Math.min(14, offset));
  return bounded === 0 ? 'UTC' : `Etc/GMT${bounded > 0 ? '-' : '+'}${Math.abs(bounded)}`; // Etc/GMT-3 is UTC+3
}

async function seed(db: pg.Pool, customerCount: number, orderedShare: number): Promise<Seeded> {
  const timeZone = noonZone();
  const date = localTime(new Date(), timeZone).date;
  await db.query(`insert into localities (slug, name, time_zone, order_cutoff, reminder_at) values ($1, 'Bench Town', $2, '23:59', '00:00')`, [
    LOCALITY,
    timeZone,
  ]);
  const [merchant] = await insertUsers(db, 1, 'merchant');
  const [admin] = await insertUsers(db, 1, 'admin');
  const restaurantId = randomUUID();
  const dishId = randomUUID();
  const mealSetId = randomUUID();
  await db.query(`insert into restaurants (id, merchant_id, name, locality, time_zone) values ($1, $2, 'Bench Kitchen', $3, $4)`, [
    restaurantId,
    merchant.id,
    LOCALITY,
    timeZone,
  ]);
  await db.query(
    `insert into products (id, merchant_id, restaurant_id, sku, name, price_cents, currency, stock, kind) values ($1, $2, $3, 'BENCH-DISH', 'Bench dal', 900, 'EUR', 1000000, 'dish')`,
    [dishId, merchant.id, restaurantId],
  );
  await db.query(`insert into meal_sets (id, locality, date) values ($1, $2, $3)`, [mealSetId, LOCALITY, date]);
  await db.query(`insert into meal_set_dishes (meal_set_id, product_id, position) values ($1, $2, 0)`, [mealSetId, dishId]);
  const customers = await insertUsers(db, customerCount, 'customer');
  for (let i = 0; i < customers.length; i += 10_000) {
    await db.query(`update users set locality = $1 where id = any($2::uuid[])`, [LOCALITY, customers.slice(i, i + 10_000).map((c) => c.id)]);
  }
  const buyers = customers.slice(0, Math.round(customerCount * orderedShare)); // random ids: spread over the id-ordered batches
  for (let i = 0; i < buyers.length; i += 10_000) {
    await db.query(
      `insert into orders (id, customer_id, status, total_cents, currency, meal_set_id, created_at, updated_at)
       select gen_random_uuid(), c, 'placed', 900, 'EUR', $2, now(), now() from unnest($1::uuid[]) as t(c)`,
      [buyers.slice(i, i + 10_000).map((c) => c.id), mealSetId],
    );
  }
  await db.query(`analyze users; analyze orders`);
  return { admin: { id: admin.id, role: 'admin' }, mealSetId, date, timeZone, ordered: buyers.length };
}

async function rawAntiJoin(db: pg.Pool, seeded: Seeded): Promise<{ inserted: number; ms: number; subject: string }> {
  const subject = `baseline/${seeded.date}`;
  const started = performance.now();
  const res = await db.query(
    `insert into notifications (id, user_id, type, subject, title, body, data, created_at)
     select gen_random_uuid(), u.id, 'mealset.reminder', $2, $3, $4, $5::jsonb, now() from users u
     where u.locality = $1 and u.role = 'customer'
       and not exists (select 1 from orders o where o.meal_set_id = $6 and o.customer_id = u.id and o.status <> 'cancelled')
     on conflict (user_id, type, subject) do nothing`,
    [
      LOCALITY,
      subject,
      "Today's lunch is waiting",
      "Order from today's meal set in Bench Town before 23:59.",
      JSON.stringify({ mealSetId: seeded.mealSetId, locality: LOCALITY, date: seeded.date }),
      seeded.mealSetId,
    ],
  );
  return { inserted: res.rowCount ?? 0, ms: performance.now() - started, subject };
}

/** Polls until every reminder exists and the server's metrics report the run completed. */
async function waitForReminders(
  db: pg.Pool,
  url: string,
  metricsToken: string,
  subject: string,
  expected: number,
  started: number,
): Promise<{ allMs: number; jobMs: number }> {
  let allMs = NaN;
  let jobMs = NaN;
  const deadline = started + 300_000;
  while (Number.isNaN(allMs) || Number.isNaN(jobMs)) {
    if (performance.now() > deadline) throw new Error('the reminders did not complete within 5 minutes');
    if (Number.isNaN(allMs)) {
      const { rows } = await db.query<{ n: string }>(`select count(*) as n from notifications where type = 'mealset.reminder' and subject = $1`, [subject]);
      if (Number(rows[0].n) >= expected) allMs = performance.now() - started;
    }
    if (Number.isNaN(jobMs)) {
      const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
      if (new RegExp(`larder_reminder_runs_total\\{locality="${LOCALITY}",outcome="completed"\\} [1-9]`).test(metrics)) jobMs = performance.now() - started;
    }
    await pause(50);
  }
  return { allMs, jobMs };
}

async function verify(db: pg.Pool, subject: string, mealSetId: string): Promise<{ total: number; toOrdered: number; duplicates: number }> {
  const { rows } = await db.query<{ total: string; to_ordered: string; distinct_users: string }>(
    `select count(*) as total, count(distinct user_id) as distinct_users,
            count(*) filter (where exists (select 1 from orders o where o.customer_id = n.user_id and o.meal_set_id = $2)) as to_ordered
     from notifications n where type = 'mealset.reminder' and subject = $1`,
    [subject, mealSetId],
  );
  const total = Number(rows[0].total);
  return { total, toOrdered: Number(rows[0].to_ordered), duplicates: total - Number(rows[0].distinct_users) };
}
