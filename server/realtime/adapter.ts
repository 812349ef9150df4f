import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { Cluster, Redis } from 'ioredis';
import type { ServerOptions } from 'socket.io';
import type { Config } from '../platform/config.js';
import { adapterKey } from './room-emitter.js';

/**
 * The Socket.IO adapter chosen by SOCKET_ADAPTER. `classic` publishes on PUBLISH channels, which
 * Redis Cluster copies to every node; `sharded` uses SPUBLISH/SSUBSCRIBE (Redis ≥ 7), so each
 * channel lives on the shard owning its hash slot. Dynamic subscription: a public room (e.g.
 * `product:<id>`) gets its own channel, so only the instances holding a socket in it receive its
 * broadcasts. ioredis subscribes with SSUBSCRIBE and emits `smessageBuffer`, which the adapter reads.
 */
export function redisAdapter(config: Pick<Config, 'socketAdapter' | 'redisPrefix'>, pub: Redis | Cluster, sub: Redis | Cluster): ServerOptions['adapter'] {
  const key = adapterKey(config.redisPrefix);
  if (config.socketAdapter === 'sharded') return createShardedAdapter(pub, sub, { channelPrefix: key, subscriptionMode: 'dynamic' });
  return createAdapter(pub, sub, { key });
}
