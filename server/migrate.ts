import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { ensureDatabase, initOrm, migrate } from './orm.js';

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
