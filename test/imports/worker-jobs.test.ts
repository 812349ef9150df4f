import { finishedImport, productsCsv, uploadCsv } from '../support/imports.js';
import { useWorld } from '../support/world.js';

describe('WORKER_JOBS: workers per queue', () => {
  const world = useWorld({ variables: { PROCESS_ROLE: 'server' }, merchant: true });

  test('When the only worker runs mail jobs, then an import stays queued; a worker for imports.* then runs it', async () => {
    await world.start({ PROCESS_ROLE: 'worker', WORKER_JOBS: 'mail.send,identity.*' });
    const upload = await uploadCsv(world.app, world.merchant.token, productsCsv(50));
    expect(upload.status).toBe(202);
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await world.http.get(`/api/v1/imports/${upload.body.id}`, world.merchant.token)).body.status).toBe('queued');

    await world.start({ PROCESS_ROLE: 'worker', WORKER_JOBS: 'imports.*' });
    expect(await finishedImport(world.app, world.merchant.token, upload.body.id)).toMatchObject({ status: 'completed', rowsUpserted: 50 });
  }, 40_000);

  test('When WORKER_JOBS names no job, then the worker refuses to start, naming it', async () => {
    await expect(world.start({ PROCESS_ROLE: 'worker', WORKER_JOBS: 'imports.*,import.run' })).rejects.toThrow(/WORKER_JOBS: import\.run match no job/);
  });
});
