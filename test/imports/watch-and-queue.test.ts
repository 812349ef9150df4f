import { randomUUID } from 'node:crypto';
import type { ServerPayload } from '../../server/realtime/contract.js';
import { productsCsv, uploadCsv } from '../support/imports.js';
import { emitAck, nextEvent, type TestSocket } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

type Push = ServerPayload<'import:progress'> & { at: number };

/** Every import:progress and import:finished of one import the socket receives from now on. */
function record(socket: TestSocket, importId: string): { pushes: Push[]; finished: Array<ServerPayload<'import:finished'>> } {
  const pushes: Push[] = [];
  const finished: Array<ServerPayload<'import:finished'>> = [];
  socket.on('import:progress', (p) => void (p.id === importId && pushes.push({ ...p, at: Date.now() })));
  socket.on('import:finished', (p) => void (p.id === importId && finished.push(p)));
  return { pushes, finished };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watching an import before its upload, and while it waits for a worker', () => {
  // No worker: uploaded imports stay queued, as when every worker is busy.
  const world = useWorld({ variables: { PROCESS_ROLE: 'server' } });

  test('When a merchant watches the id it will upload under, then the ack is null and its pushes start with the upload; another merchant watching that id gets nothing', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const stranger = await createUser(world.app, 'merchant');
    const customer = await createUser(world.app, 'customer');
    const importId = randomUUID();
    const own = await world.connect(merchant);
    const other = await world.connect(stranger);
    expect(await emitAck(own, 'import:watch', { importId })).toEqual({ ok: true, data: null });
    expect(await emitAck(other, 'import:watch', { importId })).toEqual({ ok: true, data: null });
    expect((await emitAck(await world.connect(customer), 'import:watch', { importId })).error).toMatchObject({ code: 'NOT_FOUND' });
    const mine = record(own, importId);
    const theirs = record(other, importId);

    const first = nextEvent(own, 'import:progress', 10_000, (p) => p.id === importId);
    const res = await uploadCsv(world.app, merchant.token, productsCsv(50), `type=products&importId=${importId}`);
    expect(res.status).toBe(202);
    expect(await first).toMatchObject({ id: importId, merchantId: merchant.id, phase: 'uploading', status: 'queued' });
    // Watching again once it exists: the ack is its state, and the socket (now in both rooms) still gets each push once.
    expect((await emitAck(own, 'import:watch', { importId })).data).toMatchObject({ id: importId, status: 'queued' });
    expect((await world.http.delete(`/api/v1/imports/${importId}`, merchant.token)).status).toBe(202);
    await sleep(1_000);
    expect(mine.finished).toEqual([expect.objectContaining({ id: importId, status: 'cancelled' })]);
    expect(theirs.pushes).toEqual([]);
    expect(theirs.finished).toEqual([]);
  });

  test('When an uploaded import waits for a worker, then its watchers get import:progress (status queued) at least twice a second until it is cancelled, then nothing', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const res = await uploadCsv(world.app, merchant.token, productsCsv(20));
    expect(res.body).toMatchObject({ status: 'queued', phase: 'parsing' });
    const socket = await world.connect(merchant);
    const { pushes, finished } = record(socket, res.body.id);
    expect((await emitAck(socket, 'import:watch', { importId: res.body.id })).data).toMatchObject({ status: 'queued' });
    await sleep(2_000);
    const waiting = [...pushes];
    expect(waiting.length).toBeGreaterThanOrEqual(4);
    expect(waiting.every((p) => p.status === 'queued' && p.phase === 'parsing' && p.bytesRead === p.bytesTotal)).toBe(true);
    const gaps = waiting.slice(1).map((p, i) => p.at - waiting[i].at);
    expect(Math.max(...gaps)).toBeLessThan(1_000);

    expect((await world.http.delete(`/api/v1/imports/${res.body.id}`, merchant.token)).status).toBe(202);
    await sleep(300);
    const atEnd = pushes.length;
    await sleep(1_000);
    expect(finished).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    expect(pushes.length).toBe(atEnd);
  });
});
