import type { EntityManager } from '@mikro-orm/postgresql';
import { startChildLarder } from '../support/child-larder.js';
import { eventually } from '../support/eventually.js';
import { finishedImport, productsCsv, uploadCsv } from '../support/imports.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const ROWS = 30_000;
const BATCH = 200;

describe('an import whose worker dies', () => {
  // This instance only serves: the imports run in the worker processes the tests start and kill.
  const world = useWorld({ variables: { PROCESS_ROLE: 'server' } });
  const em = () => world.app.container.orm.em.fork() as EntityManager;
  const skusOf = async (merchantId: string) =>
    (await em().execute<Array<{ sku: string }>>(`select sku from products where merchant_id = ?`, [merchantId]))
      .map((r) => Number(r.sku.slice(2)))
      .sort((a, b) => a - b);
  const firstRows = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  test('When no worker has started it yet and it is cancelled, then it ends at once, cancelled, with nothing written', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const res = await uploadCsv(world.app, merchant.token, productsCsv(10));
    expect(res.body.status).toBe('queued');
    const cancelled = await world.http.delete(`/api/v1/imports/${res.body.id}`, merchant.token);
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', rowsUpserted: 0 });
    expect(await skusOf(merchant.id)).toEqual([]);
    // Nothing was written, so nothing is announced (products.imported goes out for a completed import or one that changed the catalog).
    const summaries = await em().execute(`select id from outbox where name = 'products.imported' and payload->>'importId' = ?`, [res.body.id]);
    expect(summaries).toEqual([]);
  });

  test('When the worker is killed mid-import, then every committed batch is whole, and another worker resumes from the last one to a complete catalog', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const doomed = await startChildLarder(world.env, { PROCESS_ROLE: 'worker', IMPORT_BATCH_ROWS: String(BATCH) });
    const res = await uploadCsv(world.app, merchant.token, productsCsv(ROWS));
    expect(res.status).toBe(202);
    await eventually(
      () => world.http.get(`/api/v1/imports/${res.body.id}`, merchant.token),
      (r) => r.body.rowsUpserted >= 2 * BATCH,
      30_000,
    );
    await doomed.kill('SIGKILL');

    // What the dead worker left: whole batches, exactly as many as its checkpoint says.
    const [left] = await em().execute<Array<{ status: string; batches_done: number; rows_upserted: number }>>(
      `select status, batches_done, rows_upserted from imports where id = ?`,
      [res.body.id],
    );
    expect(left.status).toBe('running');
    expect(left.batches_done).toBeGreaterThan(0);
    expect(left.batches_done).toBeLessThan(ROWS / BATCH);
    expect(left.rows_upserted).toBe(left.batches_done * BATCH);
    expect(await skusOf(merchant.id)).toEqual(firstRows(left.batches_done * BATCH));

    // A new worker takes the job over once the dead one's lock expires, and goes on from there.
    await world.start({ PROCESS_ROLE: 'worker', IMPORT_BATCH_ROWS: String(BATCH) });
    const done = await finishedImport(world.app, merchant.token, res.body.id, 90_000);
    expect(done).toMatchObject({ status: 'completed', rowsRead: ROWS, rowsUpserted: ROWS, rowsRejected: 0 });
    expect(await skusOf(merchant.id)).toEqual(firstRows(ROWS));
    expect(await em().execute(`select count(*)::int as n from pg_tables where tablename like 'import_stage_%'`)).toEqual([{ n: 0 }]);
  }, 150_000);
});
