import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { initOrm } from './orm.js';
import { createRedis } from './redis.js';
import { defineCartScripts } from '../domain/cart/cart-scripts.js';
import { Inventory } from '../domain/cart/inventory.js';

/**
 * `npm run inventory:rebuild`: copies every product's stock (and its version) from PostgreSQL into the
 * Redis mirror, keeping live reservations. Safe while serving: versioned writes refuse older values.
 */
const config = loadConfig();
const log = createLogger(config.logLevel);
const orm = await initOrm(config, log);
const redis = createRedis(config.redisUrl, config.redisPrefix, 'larder-inventory-rebuild');
await redis.connect();
try {
  const started = Date.now();
  const products = await new Inventory(redis, defineCartScripts(redis), orm.em.fork()).rebuild();
  log.info({ products, ms: Date.now() - started }, 'inventory mirror rebuilt');
} finally {
  redis.disconnect();
  await orm.close();
}
