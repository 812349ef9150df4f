import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ManualClock } from '../../domain/shared/clock.js';
import { eventually } from '../support/eventually.js';
import { FakeSquare, squareReturn, squareSale, type FakeOrder } from '../support/fake-square.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const POS_TOKEN_KEY = randomBytes(32).toString('base64');
const FAST_RETRIES = { attempts: 5, baseDelayMs: 40, maxDelayMs: 300, maxRetryAfterMs: 5_000 };
const HOUR = 3_600_000;

describe('the Square connector', () => {
  let square: FakeSquare;
  beforeAll(async () => {
    square = await FakeSquare.start();
  });
  afterAll(() => square.close());

  const world = useWorld({
    variables: { POS_TOKEN_KEY, POS_ALLOWED_BASE_URLS: 'http://127.0.0.1' },
    container: { posRetry: FAST_RETRIES },
  });
  const em = () => world.app.container.orm.em.fork() as EntityManager;
  const lines = (merchantId: string) =>
    em().execute<Array<{ source_line_id: string; order_id: string; quantity: number; unit_price_cents: number; name: string; modifiers: unknown }>>(
      `select t.source_line_id, t.order_id, t.quantity, t.unit_price_cents, i.name, t.modifiers
       from analytics_transactions t join analytics_items i on i.id = t.item_id where t.merchant_id = ? and t.source = 'square' order by t.source_line_id`,
      [merchantId],
    );
  const connect = (merchant: TestUser, body: Record<string, unknown> = {}) =>
    world.http.put(
      '/api/v1/analytics/pos',
      { provider: 'square', accessToken: square.token, locationId: 'LOC1', baseUrl: square.url, ...body },
      merchant.token,
    );
  const connection = (merchant: TestUser) => world.http.get('/api/v1/analytics/pos', merchant.token);
  /** Waits until the merchant's connection has `runs` finished runs; answers the connection. */
  const afterRuns = async (merchant: TestUser, runs: number, ms = 15_000) =>
    (
      await eventually(
        () => connection(merchant),
        (res) => res.body.recentRuns?.filter((r: { outcome: string }) => r.outcome !== 'running').length >= runs,
        ms,
      )
    ).body;

  beforeEach(() => square.reset());

  const sevenOrders = (): FakeOrder[] => [
    squareSale('O1', 300, [{ name: 'Latte', quantity: '2', cents: 450 }]),
    squareSale('O2', 290, [
      {
        name: 'Latte',
        quantity: '1',
        cents: 450,
        modifiers: [
          { name: 'Oat milk', cents: 60 },
          { name: 'Extra shot', cents: 80, quantity: '2' },
        ],
      },
      { name: 'Croissant', quantity: '1', cents: 300 },
    ]),
    squareSale('O3', 280, [{ name: 'Espresso', quantity: '1', cents: 250 }]),
    squareSale('O4', 270, [{ name: 'Croissant', quantity: '3', cents: 300 }]),
    squareSale('O5', 260, [{ name: 'Muffin', quantity: '1.5', cents: 320 }]),
    squareReturn('R1', 250, 'O4', [{ name: 'Croissant', quantity: '1', cents: 300 }]),
    squareSale('O6', 240, [{ name: 'Tea', quantity: '1', cents: 280 }]),
  ];

  describe('a sync', () => {
    test('When a connection is made, then its first sync pages through every order with the identical query and stores each line once', async () => {
      const merchant = await createUser(world.app, 'merchant');
      square.orders = sevenOrders();
      const put = await connect(merchant);
      expect(put.status).toBe(200);
      expect(JSON.stringify(put.body)).not.toContain(square.token);

      const conn = await afterRuns(merchant, 1);
      expect(conn).toMatchObject({ provider: 'square', locationId: 'LOC1', status: 'ok', lastError: null });
      expect(conn.recentRuns[0]).toMatchObject({ trigger: 'manual', outcome: 'ok', pages: 3, lines: 8 });
      expect(new Date(conn.nextRunAt).getTime() - new Date(conn.lastSuccessAt).getTime()).toBeGreaterThan(11.9 * HOUR);
      const [first, ...rest] = square.requests;
      expect(first.body).toMatchObject({
        location_ids: ['LOC1'],
        limit: 500,
        query: { filter: { state_filter: { states: ['COMPLETED'] } }, sort: { sort_field: 'CLOSED_AT', sort_order: 'ASC' } },
      });
      expect(first.body.cursor).toBeUndefined();
      for (const r of rest) expect({ ...r.body, cursor: undefined }).toEqual({ ...first.body, cursor: undefined });
      expect(rest.map((r) => typeof r.body.cursor)).toEqual(['string', 'string']);

      const stored = await lines(merchant.id);
      expect(stored).toHaveLength(8);
      expect(stored.find((l) => l.source_line_id === 'O2:O2-li0')).toMatchObject({ name: 'Latte', quantity: 1, unit_price_cents: 450 + 60 + 2 * 80 });
      expect(stored.find((l) => l.source_line_id === 'R1:return:R1-rli0')).toMatchObject({
        name: 'Croissant',
        quantity: -1,
        unit_price_cents: 300,
        order_id: 'R1',
      });
      expect(stored.find((l) => l.order_id === 'O5')).toMatchObject({ quantity: 1.5 });
      const [row] = await em().execute(`select token_ciphertext from analytics_pos_connections where merchant_id = ?`, [merchant.id]);
      expect(row.token_ciphertext).toMatch(/^v1\./);
      expect(row.token_ciphertext).not.toContain(square.token);
    });

    test('When the same history is synced again with new orders, then only the new lines are added (the overlap re-reads nothing twice)', async () => {
      const merchant = await createUser(world.app, 'merchant');
      square.orders = sevenOrders();
      await connect(merchant);
      await afterRuns(merchant, 1);
      square.orders.push(squareSale('O7', 1, [{ name: 'Latte', quantity: '1', cents: 450 }]));
      expect((await world.http.post('/api/v1/analytics/pos/sync', {}, merchant.token)).status).toBe(202);
      await afterRuns(merchant, 2);
      const stored = await lines(merchant.id);
      expect(stored).toHaveLength(9);
      expect(new Set(stored.map((l) => l.source_line_id)).size).toBe(9);
    });

    test('When Square answers 429 with Retry-After, then the sync waits at least that long and completes', async () => {
      const merchant = await createUser(world.app, 'merchant');
      square.orders = sevenOrders();
      square.faults = [null, { status: 429, retryAfter: '1' }];
      await connect(merchant);
      const conn = await afterRuns(merchant, 1);
      expect(conn.recentRuns[0]).toMatchObject({ outcome: 'ok', pages: 3, lines: 8 });
      const limited = square.requests.findIndex((r) => r.status === 429);
      expect(limited).toBe(1);
      expect(square.requests[limited + 1].at - square.requests[limited].at).toBeGreaterThanOrEqual(1_000);
      expect(square.requests[limited + 1].body).toEqual(square.requests[limited].body);
    });

    test('When Square answers a burst of 500s, then the calls are retried with backoff and the sync completes', async () => {
      const merchant = await createUser(world.app, 'merchant');
      square.orders = sevenOrders();
      square.faults = [null, { status: 500 }, { status: 502 }, { status: 500 }];
      await connect(merchant);
      const conn = await afterRuns(merchant, 1);
      expect(conn).toMatchObject({ status: 'ok', lastError: null });
      expect(conn.recentRuns[0]).toMatchObject({ outcome: 'ok', pages: 3, lines: 8 });
      expect(square.requests.map((r) => r.status)).toEqual([200, 500, 502, 500, 200, 200]);
      const gaps = [2, 3, 4].map((i) => square.requests[i].at - square.requests[i - 1].at);
      expect(gaps[2]).toBeGreaterThanOrEqual(FAST_RETRIES.baseDelayMs * 2); // the third retry waits at least half of 4 × base
      expect(await lines(merchant.id)).toHaveLength(8);
    });

    test('When Square refuses a cursor, then the window is paged again from its first page and nothing is stored twice', async () => {
      const merchant = await createUser(world.app, 'merchant');
      square.orders = sevenOrders();
      square.faults = [null, { status: 400, body: { errors: [{ code: 'INVALID_CURSOR', detail: 'expired' }] } }];
      await connect(merchant);
      const conn = await afterRuns(merchant, 1);
      expect(conn.recentRuns[0]).toMatchObject({ outcome: 'ok', pages: 4 });
      expect(square.requests.map((r) => [r.status, r.body.cursor === undefined])).toEqual([
        [200, true],
        [400, false],
        [200, true],
        [200, false],
        [200, false],
      ]);
      expect(await lines(merchant.id)).toHaveLength(8);
    });
  });

  describe('failures', () => {
    test('When Square stays down, then the run fails and is recorded, a retry is queued, the 12-hour slot stays and the failure is counted and emitted', async () => {
      const merchant = await createUser(world.app, 'merchant');
      const failures: unknown[] = [];
      const unsubscribe = world.app.container.events.subscribe('pos.sync_failed', (e) => void failures.push(e));
      square.outage = { status: 503 };
      const before = await world.app.container.metrics.analyticsFailures.get();
      const counted = () => before.values.find((v) => v.labels.reason === 'upstream_error')?.value ?? 0;
      const baseline = counted();
      try {
        const put = await connect(merchant);
        const conn = await afterRuns(merchant, 1);
        expect(conn).toMatchObject({ status: 'failing', nextRunAt: put.body.nextRunAt, lastSuccessAt: null });
        expect(conn.lastError).toContain('503');
        expect(conn.recentRuns[0]).toMatchObject({ outcome: 'failed', reason: 'upstream_error', pages: 0 });
        expect(square.requests).toHaveLength(FAST_RETRIES.attempts);
        expect(failures).toEqual([expect.objectContaining({ merchantId: merchant.id, reason: 'upstream_error', needsReauth: false })]);
        const notified = await eventually(
          () => world.http.get('/api/v1/notifications', merchant.token),
          (res) => res.body.items?.some((n: { type: string }) => n.type === 'pos.sync_failed'),
        );
        expect(notified.body.items.find((n: { type: string }) => n.type === 'pos.sync_failed')).toMatchObject({
          title: 'POS sync failed',
          data: { reason: 'upstream_error' },
        });
        const after = await world.app.container.metrics.analyticsFailures.get();
        expect(after.values.find((v) => v.labels.kind === 'pos_sync' && v.labels.reason === 'upstream_error')?.value).toBe(baseline + 1);
        const [retry] = await em().execute(
          `select next_run_at from agenda_jobs where name = 'analytics.pos-sync' and data->>'trigger' = 'retry' and data->>'connectionId' = (select id::text from analytics_pos_connections where merchant_id = ?)`,
          [merchant.id],
        );
        expect(new Date(retry.next_run_at).getTime() - Date.now()).toBeGreaterThan(4 * 60_000);
      } finally {
        unsubscribe();
      }
    });

    test('When Square refuses the token, then the connection needs a new one, syncs stop until it is given, and reconnecting syncs again', async () => {
      const merchant = await createUser(world.app, 'merchant');
      square.orders = sevenOrders();
      await connect(merchant, { accessToken: 'sq-revoked-token' });
      const refused = await afterRuns(merchant, 1);
      expect(refused).toMatchObject({ status: 'needs_reauth', nextRunAt: null });
      expect(refused.recentRuns[0]).toMatchObject({ outcome: 'failed', reason: 'unauthorized' });
      expect(refused.lastError).toContain('401');
      const sync = await world.http.post('/api/v1/analytics/pos/sync', {}, merchant.token);
      expect(sync.status).toBe(409);

      await connect(merchant);
      const fixed = await afterRuns(merchant, 2);
      expect(fixed).toMatchObject({ status: 'ok' });
      expect(fixed.recentRuns[0]).toMatchObject({ outcome: 'ok', lines: 8 });
    });
  });

  describe('refused connections', () => {
    test.each([
      [{ provider: 'toast' }, 'provider'],
      [{ accessToken: 'x' }, 'accessToken'],
      [{ locationId: "L1'; drop table users; --" }, 'locationId'],
      [{ baseUrl: 'http://169.254.169.254' }, 'baseUrl'],
      [{ baseUrl: 'ftp://127.0.0.1' }, 'baseUrl'],
      [{ since: 'last year' }, 'since'],
      [{ role: 'admin' }, 'role'],
    ])('When the body has %j, then 422 names %s and nothing is stored', async (patch, field) => {
      const merchant = await createUser(world.app, 'merchant');
      const res = await connect(merchant, patch);
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
      expect((await connection(merchant)).status).toBe(404);
    });

    test('When a customer connects, or a merchant syncs without a connection, then 403 / 404', async () => {
      const customer = await createUser(world.app, 'customer');
      expect((await connect(customer)).status).toBe(403);
      const merchant = await createUser(world.app, 'merchant');
      expect((await world.http.post('/api/v1/analytics/pos/sync', {}, merchant.token)).status).toBe(404);
    });

    test('When the instance has no POS_TOKEN_KEY, then connecting answers 503 and stores nothing', async () => {
      const keyless = await world.start({ PROCESS_ROLE: 'server', POS_TOKEN_KEY: '' });
      const merchant = await createUser(world.app, 'merchant');
      const refused = await fetch(`${keyless.url}/api/v1/analytics/pos`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${merchant.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'square', accessToken: square.token, locationId: 'LOC1', baseUrl: square.url }),
      });
      expect(refused.status).toBe(503);
      expect((await connection(merchant)).status).toBe(404);
      await world.stop(keyless);
    });
  });

  describe('the 12-hour schedule', () => {
    test('When slots come, then a scheduled sync runs per slot, and after an outage of the scheduler the rhythm keeps its phase', async () => {
      const merchant = await createUser(world.app, 'merchant');
      square.orders = sevenOrders();
      await connect(merchant);
      const first = await afterRuns(merchant, 1);
      await em().execute(`delete from analytics_pos_connections where merchant_id <> ?`, [merchant.id]);
      const slot = new Date(first.nextRunAt).getTime();
      const clock = new ManualClock(new Date(slot - 60_000));
      const ticker = await world.start({ PROCESS_ROLE: 'server' }, { clock });
      try {
        const schedule = ticker.container.modules.analytics.posSchedule;
        expect(await schedule.tick()).toBe(0);
        clock.set(new Date(slot + 30_000));
        expect(await schedule.tick()).toBe(1);
        expect(await schedule.tick()).toBe(0);
        // The due event is durable: this instance's dispatcher hands it to the consumer that queues the sync job.
        await ticker.container.modules.outbox.drain();
        const scheduled = await afterRuns(merchant, 2);
        expect(scheduled.recentRuns[0]).toMatchObject({ trigger: 'schedule', outcome: 'ok' });
        expect(new Date(scheduled.nextRunAt).getTime()).toBe(slot + 12 * HOUR);

        // The scheduler was down for a day and a half: one sync, and the next slot is still on the rhythm.
        clock.set(new Date(slot + 12 * HOUR + 36 * HOUR + 5 * 60_000));
        expect(await schedule.tick()).toBe(1);
        await ticker.container.modules.outbox.drain();
        const resumed = await afterRuns(merchant, 3);
        expect(new Date(resumed.nextRunAt).getTime()).toBe(slot + 12 * HOUR * 5);
      } finally {
        await world.stop(ticker);
      }
    });
  });
});
