import { adapterKey } from '../../server/realtime/room-emitter.js';
import { rooms } from '../../server/realtime/rooms.js';
import { createProduct } from '../support/products.js';
import { redisClusterUnavailable, startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';
import { emitAck, nextEvent } from '../support/sockets.js';
import type { TestApp } from '../support/test-env.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const unavailable = redisClusterUnavailable();
if (unavailable) console.warn(`Redis Cluster tests skipped: ${unavailable}`);
const describeWithCluster = unavailable ? describe.skip : describe;

describeWithCluster('Socket.IO traffic on a Redis Cluster (SOCKET_REDIS_CLUSTER_NODES, sharded adapter)', () => {
  const world = useWorld({ startApp: false });
  let cluster: RedisCluster;
  let a: TestApp;
  let b: TestApp;
  let worker: TestApp;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    const vars = { SOCKET_ADAPTER: 'sharded', SOCKET_REDIS_CLUSTER_NODES: cluster.urls[0] };
    a = await world.start({ ...vars, PROCESS_ROLE: 'server' });
    b = await world.start({ ...vars, PROCESS_ROLE: 'server' });
    worker = await world.start({ ...vars, PROCESS_ROLE: 'worker' });
  }, 60_000);
  afterAll(async () => {
    for (const app of [worker, b, a]) if (app) await world.stop(app);
    await cluster?.stop();
  });

  test('When sockets on instance B watch products and a cart on instance A changes them, then B receives every push, through channels spread over the shards', async () => {
    const merchant = await createUser(a, 'merchant');
    const products = await Promise.all(Array.from({ length: 6 }, () => createProduct(a, merchant, { stock: 20 })));
    const watcher = await world.connect(await createUser(a), b);
    expect((await emitAck(watcher, 'products:watch', { productIds: products.map((p) => p.id) })).ok).toBe(true);
    const shopper = await world.connect(await createUser(a), a);
    for (const product of products) {
      const pushed = nextEvent(watcher, 'stock:changed', 5_000, (p) => p.productId === product.id && p.available === 18);
      expect((await emitAck(shopper, 'cart:add', { productId: product.id, quantity: 2 })).ok).toBe(true);
      await pushed;
    }
    const prefix = `${adapterKey(world.env.redisPrefix)}#/#`;
    const perNode = await cluster.onEachNode<string[]>('PUBSUB', 'SHARDCHANNELS', `${prefix}*`);
    const all = perNode.flat();
    for (const product of products) expect(all).toContain(`${prefix}${rooms.product(product.id)}#`);
    expect(perNode.filter((channels) => channels.length > 0).length).toBeGreaterThan(1);
    expect(await cluster.onEachNode<string[]>('PUBSUB', 'CHANNELS', `${adapterKey(world.env.redisPrefix)}*`)).toEqual([[], [], []]);
  }, 30_000);

  test('When the worker emits to a user and disconnects another, then their sockets on instance B are reached', async () => {
    const alice = await createUser(a);
    const bob = await createUser(a);
    const aliceSocket = await world.connect(alice, b);
    const bobSocket = await world.connect(bob, b);
    const received = nextEvent(aliceSocket, 'auth:expired');
    worker.emitter.emit(rooms.user(alice.id), 'auth:expired', { message: 'from the worker' });
    expect(await received).toEqual({ message: 'from the worker' });
    const closed = new Promise((resolve) => bobSocket.once('disconnect', resolve));
    worker.emitter.disconnect(rooms.user(bob.id));
    expect(await closed).toBe('io server disconnect');
  });
});
