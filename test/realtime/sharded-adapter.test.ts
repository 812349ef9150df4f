import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { adapterKey } from '../../server/realtime/room-emitter.js';
import { rooms } from '../../server/realtime/rooms.js';
import { eventually } from '../support/eventually.js';
import { finishedImport, productsCsv, uploadCsv } from '../support/imports.js';
import { createProduct } from '../support/products.js';
import { emitAck, nextEvent } from '../support/sockets.js';
import { TEST_REDIS_URL, type TestApp } from '../support/test-env.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const SHARDED = { SOCKET_ADAPTER: 'sharded' };

describe('SOCKET_ADAPTER=sharded: two server instances and a worker over Redis sharded pub/sub', () => {
  const world = useWorld({ variables: { PROCESS_ROLE: 'server', ...SHARDED }, merchant: true });
  let b: TestApp;
  let worker: TestApp;
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });

  beforeAll(async () => {
    b = await world.start({ PROCESS_ROLE: 'server', ...SHARDED });
    worker = await world.start({ PROCESS_ROLE: 'worker', ...SHARDED });
    await redis.connect();
  });
  afterAll(() => redis.quit());

  test('When the servers run, then their channels are sharded ones (SSUBSCRIBE), not classic PUBLISH channels', async () => {
    const main = `${adapterKey(world.env.redisPrefix)}#/#`;
    expect(await redis.pubsub('SHARDNUMSUB', main)).toEqual([main, 2]);
    expect(await redis.pubsub('CHANNELS', `${adapterKey(world.env.redisPrefix)}*`)).toEqual([]);
  });

  test('When a shopper adds to a cart on instance A, then a watcher on instance B sees stock:changed and the shopper’s socket on B sees cart:updated from the worker after a price change', async () => {
    const product = await createProduct(world.app, world.merchant, { stock: 10, priceCents: 100 });
    const shopper = await createUser(world.app);
    const watcher = await world.connect(await createUser(world.app), b);
    expect((await emitAck(watcher, 'products:watch', { productIds: [product.id] })).ok).toBe(true);
    const onA = await world.connect(shopper, world.app);
    const onB = await world.connect(shopper, b);

    const stock = nextEvent(watcher, 'stock:changed', 5_000, (p) => p.productId === product.id && p.available === 7);
    expect((await emitAck(onA, 'cart:add', { productId: product.id, quantity: 3 })).ok).toBe(true);
    await stock;

    // The price change is told to carts by the worker (no Socket.IO server): its sharded emitter.
    const pushed = nextEvent(onB, 'cart:updated', 15_000);
    expect((await world.http.patch(`/api/v1/products/${product.id}`, { priceCents: 250 }, world.merchant.token)).status).toBe(200);
    expect((await pushed).cart.items).toEqual([{ productId: product.id, quantity: 3, priceCents: 250 }]);
  }, 30_000);

  test('When an import uploaded to instance A runs on the worker, then a socket on instance B sees import:progress and import:finished', async () => {
    const socket = await world.connect(world.merchant, b);
    const importId = randomUUID();
    const progress: string[] = [];
    socket.on('import:progress', (p) => {
      if (p.id === importId) progress.push(p.phase);
    });
    const finished = nextEvent(socket, 'import:finished', 30_000, (p) => p.id === importId);
    const upload = uploadCsv(world.app, world.merchant.token, productsCsv(3_000), `type=products&importId=${importId}`);
    await eventually(
      () => emitAck(socket, 'import:watch', { importId }),
      (ack) => ack.ok,
    );
    expect((await upload).status).toBe(202);
    expect(await finished).toMatchObject({ id: importId, status: 'completed', rowsUpserted: 3_000 });
    expect(progress).toContain('writing');
    expect(await finishedImport(world.app, world.merchant.token, importId)).toMatchObject({ status: 'completed' });
  }, 40_000);

  test('When the worker emits to one user, to two users, and disconnects one, then exactly those sockets on instance B are reached', async () => {
    const alice = await createUser(world.app);
    const bob = await createUser(world.app);
    const aliceSocket = await world.connect(alice, b);
    const bobSocket = await world.connect(bob, b);
    const bobGot = nextEvent(bobSocket, 'auth:expired', 500).then(
      () => 'leaked',
      () => 'nothing',
    );
    const received = nextEvent(aliceSocket, 'auth:expired');
    worker.emitter.emit(rooms.user(alice.id), 'auth:expired', { message: 'from the worker' });
    expect(await received).toEqual({ message: 'from the worker' });
    expect(await bobGot).toBe('nothing');

    // Several rooms at once travel on the namespace's main channel, which every instance holds.
    const both = [nextEvent(aliceSocket, 'cart:expired'), nextEvent(bobSocket, 'cart:expired')];
    worker.emitter.emit([rooms.user(alice.id), rooms.user(bob.id)], 'cart:expired', { items: [] });
    expect(await Promise.all(both)).toEqual([{ items: [] }, { items: [] }]);

    const closed = new Promise((resolve) => bobSocket.once('disconnect', resolve));
    worker.emitter.disconnect(rooms.user(bob.id));
    expect(await closed).toBe('io server disconnect');
    expect(aliceSocket.connected).toBe(true);
  });
});
