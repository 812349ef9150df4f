import { Cluster, Redis, type RedisOptions } from 'ioredis';

/**
 * Fail fast instead of queueing: while Redis is down, commands reject at once (→ 503 UNAVAILABLE)
 * and ioredis keeps reconnecting in the background, so the service recovers by itself.
 */
const baseOptions: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 2_000,
  connectTimeout: 2_000,
  retryStrategy: (times) => Math.min(100 * times, 2_000),
};

/**
 * The data client: every key it touches is under the configured prefix. Auto-pipelining batches the
 * commands issued in one event-loop tick into one write (many sockets' cart scripts at once).
 */
export function createRedis(url: string, keyPrefix: string, name: string): Redis {
  return new Redis(url, { ...baseOptions, keyPrefix, connectionName: name, enableAutoPipelining: true });
}

/**
 * Pub/sub clients for the Socket.IO adapter and emitter (they prefix channels themselves). No command
 * timeout: those libraries publish without awaiting the reply, so a PUBLISH timed out on a loaded Redis
 * was an unhandled rejection that ended the process (seen in the diary fan-out bench).
 */
export function createPubSubRedis(url: string, name: string): Redis {
  return new Redis(url, { ...baseOptions, commandTimeout: undefined, enableOfflineQueue: true, maxRetriesPerRequest: null, connectionName: name });
}

/**
 * The Socket.IO pub/sub clients: on a Redis Cluster when seed nodes are given (sharded pub/sub:
 * ioredis keeps one subscriber per shard and routes each SSUBSCRIBE/SPUBLISH to its channel's slot),
 * else on the standalone Redis.
 */
export function createSocketRedis(url: string, clusterNodes: string[], name: string): Redis | Cluster {
  if (clusterNodes.length === 0) return createPubSubRedis(url, name);
  const { lazyConnect, connectTimeout } = baseOptions;
  return new Cluster(
    clusterNodes.map((node) => ({ host: new URL(node).hostname, port: Number(new URL(node).port || 6379) })),
    { lazyConnect, shardedSubscribers: true, enableOfflineQueue: true, redisOptions: { connectionName: name, connectTimeout } },
  );
}

export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /Stream isn't writeable|Connection is closed|Command timed out|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT/.test(err.message)
  );
}
