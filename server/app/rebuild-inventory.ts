import { loadConfig } from '../platform/config.js';
import { createContainer } from './container.js';

/**
 * `npm run inventory:rebuild`: copies every product's stock (and its version) from PostgreSQL into the
 * Redis mirror, keeping live reservations. Safe while serving: versioned writes refuse older values.
 */
const config = loadConfig();
const container = await createContainer(config);
try {
  const started = Date.now();
  const products = await container.modules.inventory.mirror.rebuild();
  container.log.info({ products, ms: Date.now() - started }, 'inventory mirror rebuilt');
} finally {
  await container.close();
}
