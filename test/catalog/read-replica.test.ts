import pg from 'pg';
import { createLogger } from '../../server/platform/logger.js';
import { loadConfig } from '../../server/platform/config.js';
import { initOrm, migrate } from '../../server/platform/orm.js';
import { eventually } from '../support/eventually.js';
import { httpClient } from '../support/http.js';
import { createProduct } from '../support/products.js';
import { replicaUnavailable, startReplicaPair, type ReplicaPair } from '../support/replica-cluster.js';
import type { TestApp } from '../support/test-env.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const unavailable = replicaUnavailable();
if (unavailable) console.warn(`read-replica tests skipped: ${unavailable}`);
const describeWithReplica = unavailable ? describe.skip : describe;

const DATABASE = 'larder';

async function migrated(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`create database ${DATABASE}`).finally(() => admin.end());
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const orm = await initOrm(config, createLogger('silent'));
  try {
    await migrate(orm, config.databaseUrl);
  } finally {
    await orm.close();
  }
}

describeWithReplica('listings and search on a streaming replica (pg_basebackup), read-your-writes for the writer', () => {
  const world = useWorld({ startApp: false });
  let pair: ReplicaPair;
  let app: TestApp;
  let merchant: TestUser;
  let customer: TestUser;
  const http = httpClient(() => app.url);
  const names = async (user: TestUser | undefined, query: string, of: TestUser = merchant) =>
    ((await http.get(`/api/v1/products?merchantId=${of.id}&${query}`, user?.token)).body.items as Array<{ name: string }>).map((p) => p.name);
  const replayed = async () => {
    const [{ lsn }] = await pair.onPrimary<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
    await eventually(
      () => pair.onReplica<{ done: boolean }>(`select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn as done`),
      ([row]) => row.done,
      15_000,
    );
  };

  beforeAll(async () => {
    pair = await startReplicaPair();
    await migrated(pair.primaryUrl(DATABASE));
    app = await world.start({ DATABASE_URL: pair.primaryUrl(DATABASE), DATABASE_REPLICA_URLS: pair.replicaUrl(DATABASE), PROCESS_ROLE: 'server' });
    merchant = await createUser(app, 'merchant');
    customer = await createUser(app, 'customer');
  }, 120_000);
  afterAll(async () => {
    if (app) await world.stop(app);
    await pair?.stop();
  });

  test('When the pair runs, then the standby is in recovery and the primary streams to it', async () => {
    expect(await pair.onReplica('select pg_is_in_recovery() as standby')).toEqual([{ standby: true }]);
    expect(await pair.onPrimary("select state from pg_stat_replication where state = 'streaming'")).toEqual([{ state: 'streaming' }]);
  });

  test('When replay is paused and the merchant renames a product, then others list and search the replica’s old name while the merchant sees the new one; after replay everyone does', async () => {
    const product = await createProduct(app, merchant, { name: 'Rye sourdough loaf' });
    await replayed();
    expect(await names(customer, 'q=sourdough')).toEqual(['Rye sourdough loaf']);

    await pair.onReplica('select pg_wal_replay_pause()');
    try {
      expect((await http.patch(`/api/v1/products/${product.id}`, { name: 'Spelt sourdough loaf' }, merchant.token)).status).toBe(200);
      // Served by the replica, which has not replayed the rename: proof that listings read it.
      expect(await names(customer, 'q=sourdough')).toEqual(['Rye sourdough loaf']);
      expect(await names(undefined, 'sort=name')).toEqual(['Rye sourdough loaf']);
      expect(await names(customer, 'q=spelt')).toEqual([]);
      // The writer reads their own write (from the primary, the replica being behind it).
      expect(await names(merchant, 'q=sourdough')).toEqual(['Spelt sourdough loaf']);
      expect(await names(merchant, 'q=spelt')).toEqual(['Spelt sourdough loaf']);
      expect(await names(merchant, 'sort=name')).toEqual(['Spelt sourdough loaf']);
    } finally {
      await pair.onReplica('select pg_wal_replay_resume()');
    }
    await replayed();
    expect(await names(customer, 'q=spelt')).toEqual(['Spelt sourdough loaf']);
    expect(await names(merchant, 'q=spelt')).toEqual(['Spelt sourdough loaf']);
  }, 60_000);

  test('When another merchant writes, then only that merchant reads the primary: the first one still reads the paused replica', async () => {
    const other = await createUser(app, 'merchant');
    await createProduct(app, merchant, { name: 'Barley flakes' });
    await replayed();
    await pair.onReplica('select pg_wal_replay_pause()');
    try {
      await createProduct(app, other, { name: 'Barley water' });
      expect(await names(other, 'q=barley', other)).toEqual(['Barley water']);
      expect(await names(merchant, 'q=barley', other)).toEqual([]);
      expect(await names(merchant, 'q=barley')).toEqual(['Barley flakes']);
    } finally {
      await pair.onReplica('select pg_wal_replay_resume()');
    }
  }, 60_000);
});
