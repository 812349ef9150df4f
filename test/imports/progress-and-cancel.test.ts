import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerPayload } from '../../server/realtime/contract.js';
import { eventually } from '../support/eventually.js';
import { finishedImport, productsCsv, streamUpload, uploadCsv } from '../support/imports.js';
import { emitAck, nextEvent, type TestSocket } from '../support/sockets.js';
import type { TestApp } from '../support/test-env.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

type Progress = ServerPayload<'import:progress'> & { at: number };

/** Records every import:progress until import:finished arrives. */
function recordProgress(socket: TestSocket, importId: string): { events: Progress[]; finished: Promise<ServerPayload<'import:finished'>> } {
  const events: Progress[] = [];
  socket.on('import:progress', (p) => {
    if (p.id === importId) events.push({ ...p, at: Date.now() });
  });
  return { events, finished: nextEvent(socket, 'import:finished', 60_000, (p) => p.id === importId) };
}

describe('import progress across instances, and cancel', () => {
  // Uploads land on a server, the job runs on a worker, the watcher sits on another server.
  const world = useWorld({ variables: { PROCESS_ROLE: 'server' } });
  let watcherInstance: TestApp;
  const em = () => world.app.container.orm.em.fork() as EntityManager;

  beforeAll(async () => {
    watcherInstance = await world.start({ PROCESS_ROLE: 'server' });
    await world.start({ PROCESS_ROLE: 'worker', IMPORT_BATCH_ROWS: '100' });
  });

  test('When a file uploads slowly to one instance, then a socket on another sees import:progress at least twice a second from the upload to import:finished', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const socket = await world.connect(merchant, watcherInstance);
    const importId = randomUUID();
    const csv = Buffer.from(productsCsv(8_000));
    // Watched before the upload begins (the ack is null until it exists): every push from its first byte arrives.
    expect(await emitAck(socket, 'import:watch', { importId })).toEqual({ ok: true, data: null });
    const { events, finished } = recordProgress(socket, importId);
    const upload = streamUpload(`${world.app.url}/api/v1/imports?type=products&importId=${importId}`, merchant.token, csv, {
      chunk: 16 * 1024,
      gapMs: 60,
      headers: { 'content-length': String(csv.length) },
    });
    expect((await upload).status).toBe(202);
    const end = await finished;
    expect(end).toMatchObject({ status: 'completed', rowsUpserted: 8_000, percent: 100 });

    expect(events[0]).toMatchObject({ phase: 'uploading', status: 'queued' });
    const phases = [...new Set(events.map((e) => e.phase))];
    expect(phases).toEqual(['uploading', 'parsing', 'writing']);
    const gaps = events.slice(1).map((e, i) => e.at - events[i].at);
    const seconds = (events[events.length - 1].at - events[0].at) / 1000;
    expect(events.length / seconds).toBeGreaterThanOrEqual(2);
    expect(Math.max(...gaps)).toBeLessThan(1_000);
    const uploading = events.filter((e) => e.phase === 'uploading');
    expect(uploading[uploading.length - 1].bytesRead).toBeGreaterThan(uploading[0].bytesRead);
    expect(uploading.every((e) => e.bytesTotal === csv.length && e.percent !== null && e.percent <= 10)).toBe(true);
    const percents = events.map((e) => e.percent ?? 0);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
  }, 60_000);

  test('When an import is cancelled mid-way, then it stops at a batch boundary: status cancelled, committed batches kept whole', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const res = await uploadCsv(world.app, merchant.token, productsCsv(20_000));
    expect(res.status).toBe(202);
    await eventually(
      () => world.http.get(`/api/v1/imports/${res.body.id}`, merchant.token),
      (r) => r.body.rowsUpserted > 0,
      30_000,
    );
    const cancel = await world.http.delete(`/api/v1/imports/${res.body.id}`, merchant.token);
    expect(cancel.status).toBe(202);
    const end = await finishedImport(world.app, merchant.token, res.body.id);
    expect(end.status).toBe('cancelled');
    expect(end.rowsUpserted).toBeLessThan(20_000);
    expect(end.rowsUpserted % 100).toBe(0);
    const rows = await em().execute<Array<{ sku: string }>>(`select sku from products where merchant_id = ?`, [merchant.id]);
    const numbers = rows.map((r) => Number(r.sku.slice(2))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: end.rowsUpserted }, (_, i) => i + 1));
    expect((await world.http.delete(`/api/v1/imports/${res.body.id}`, merchant.token)).status).toBe(409);
    // The committed batches changed the catalog: one products.imported says so, with the final status.
    const summaries = await em().execute<Array<{ payload: Record<string, unknown> }>>(
      `select payload from outbox where name = 'products.imported' and payload->>'importId' = ?`,
      [res.body.id],
    );
    expect(summaries.map((s) => s.payload)).toEqual([expect.objectContaining({ status: 'cancelled', rowsUpserted: end.rowsUpserted })]);
  }, 60_000);
});
