import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../../server/platform/logger.js';
import { SocketSlots } from '../../server/realtime/socket-slots.js';
import { deleteRedisKeys } from '../support/redis-cleanup.js';
import { TEST_REDIS_URL } from '../support/test-env.js';

describe('socket slot leases (real Redis)', () => {
  const prefix = `test:slots:${randomUUID()}:`;
  const redis = new Redis(TEST_REDIS_URL, { keyPrefix: prefix, lazyConnect: true });
  let slots: SocketSlots;

  beforeAll(async () => {
    await redis.connect();
    slots = new SocketSlots(redis, 3, createLogger('silent'));
  });
  afterAll(async () => {
    slots.stop();
    redis.disconnect();
    await deleteRedisKeys(TEST_REDIS_URL, prefix);
  });

  test('When this instance renews its leases (2,500 sockets, several chunks), then every held slot gets a full lease again and a released one is not brought back', async () => {
    const users = Array.from({ length: 1_250 }, () => randomUUID());
    const none = 'identity:valid-after:nobody';
    for (const [i, userId] of users.entries()) {
      expect((await slots.take(userId, `a${i}`, none, Date.now())).taken).toBe(true);
      expect((await slots.take(userId, `b${i}`, none, Date.now())).taken).toBe(true);
    }
    // Every lease about to lapse, as 50 s after the handshakes.
    const soon = Date.now() + 1_000;
    const shortened = redis.pipeline();
    for (const [i, userId] of users.entries())
      shortened.zadd(`rt:sockets:${userId}`, String(soon), `a${i}`, String(soon), `b${i}`).pexpire(`rt:sockets:${userId}`, 1_000);
    await shortened.exec();
    slots.release('b0');
    await redis.zscore(`rt:sockets:${users[0]}`, 'b0'); // the release's ZREM went first on this connection

    const before = Date.now();
    await slots.renew();

    const scores = await Promise.all(users.map((userId) => redis.zrange(`rt:sockets:${userId}`, '0', '-1', 'WITHSCORES')));
    expect(scores[0]).toHaveLength(2); // a0 only: b0 was released
    expect(scores[0][0]).toBe('a0');
    const leaseEnds = scores.flatMap((pairs) => pairs.filter((_, k) => k % 2 === 1).map(Number));
    expect(leaseEnds).toHaveLength(2 * users.length - 1);
    expect(Math.min(...leaseEnds)).toBeGreaterThanOrEqual(before + 59_000);
    const ttls = await Promise.all(users.map((userId) => redis.pttl(`rt:sockets:${userId}`)));
    expect(Math.min(...ttls)).toBeGreaterThan(55_000);
  });
});
