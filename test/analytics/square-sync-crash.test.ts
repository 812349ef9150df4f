import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startChildLarder } from '../support/child-larder.js';
import { eventually } from '../support/eventually.js';
import { FakeSquare, squareSale } from '../support/fake-square.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const POS = { POS_TOKEN_KEY: randomBytes(32).toString('base64'), POS_ALLOWED_BASE_URLS: 'http://127.0.0.1' };

describe('a Square sync killed mid-way', () => {
  let square: FakeSquare;
  beforeAll(async () => {
    square = await FakeSquare.start();
  });
  afterAll(() => square.close());
  const world = useWorld({ variables: { PROCESS_ROLE: 'server', ...POS } }); // serves, never runs jobs
  const em = () => world.app.container.orm.em.fork() as EntityManager;

  test('When the worker is SIGKILLed while a page is in flight, then the next run resumes at that page with the identical query: no gap, no duplicate', async () => {
    const merchant = await createUser(world.app, 'merchant');
    square.orders = Array.from({ length: 10 }, (_, i) =>
      squareSale(`K${i}`, 600 - i * 10, [
        { name: 'Soup', quantity: '1', cents: 500 },
        { name: 'Bread', quantity: '2', cents: 150 },
      ]),
    );
    square.faults = [null, null, 'hang']; // pages 1 and 2 answer, page 3 is held open
    const worker = await startChildLarder(world.env, { PROCESS_ROLE: 'worker', ...POS });
    try {
      const put = await world.http.put(
        '/api/v1/analytics/pos',
        { provider: 'square', accessToken: square.token, locationId: 'LOC1', baseUrl: square.url },
        merchant.token,
      );
      expect(put.status).toBe(200);
      await square.untilHanging();
      await worker.kill('SIGKILL');
    } finally {
      await worker.kill('SIGKILL');
      square.releaseHanging();
    }

    const [left] = await em().execute(`select window_end_at, cursor from analytics_pos_connections where merchant_id = ?`, [merchant.id]);
    expect(left.cursor).toBe(square.requests[2].body.cursor);
    const stored = () =>
      em().execute<Array<{ source_line_id: string }>>(`select source_line_id from analytics_transactions where merchant_id = ? and source = 'square'`, [
        merchant.id,
      ]);
    expect(await stored()).toHaveLength(2 * 6); // the two committed pages: six orders, two lines each

    await world.start({ PROCESS_ROLE: 'worker', ...POS });
    expect((await world.http.post('/api/v1/analytics/pos/sync', {}, merchant.token)).status).toBe(202);
    const conn = await eventually(
      () => world.http.get('/api/v1/analytics/pos', merchant.token),
      (res) => res.body.recentRuns?.some((r: { outcome: string }) => r.outcome === 'ok'),
      20_000,
    );
    expect(conn.body.status).toBe('ok');
    expect(conn.body.recentRuns.find((r: { outcome: string }) => r.outcome === 'ok')).toMatchObject({ pages: 2, lines: 8 });
    // The killed run is no longer shown as running: the resuming run marked it interrupted.
    expect(conn.body.recentRuns.filter((r: { outcome: string }) => r.outcome === 'running')).toEqual([]);
    expect(conn.body.recentRuns.find((r: { outcome: string }) => r.outcome === 'interrupted')).toMatchObject({
      pages: 2,
      lines: 12,
      error: expect.stringContaining('its worker died'),
      finishedAt: expect.any(String),
    });
    const resumed = square.requests[3];
    expect(resumed.body).toEqual(square.requests[2].body); // same query, same cursor: the page that was in flight
    const lines = await stored();
    expect(lines).toHaveLength(2 * 10);
    expect(new Set(lines.map((l) => l.source_line_id)).size).toBe(20);
    const [done] = await em().execute(`select window_end_at, cursor, checkpoint_closed_at from analytics_pos_connections where merchant_id = ?`, [merchant.id]);
    expect(done).toMatchObject({ window_end_at: null, cursor: null });
    expect(new Date(done.checkpoint_closed_at).getTime()).toBe(new Date(left.window_end_at).getTime());
  }, 90_000);
});
