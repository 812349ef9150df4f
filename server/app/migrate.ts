import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { ensureDatabase, initOrm, migrate } from '../platform/orm.js';

/** `npm run migrate`: creates the database if needed and applies pending migrations. */
const config = loadConfig();
const log = createLogger(config.logLevel);
await ensureDatabase(config.databaseUrl);
const orm = await initOrm(config, log);
try {
  const applied = await migrate(orm, config.databaseUrl);
  log.info({ applied }, applied.length ? 'migrations applied' : 'database is up to date');
} finally {
  await orm.close();
}
