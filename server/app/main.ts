import { type Config, ConfigError, loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { ensureDatabase, initOrm, migrate } from '../platform/orm.js';
import { startLarder } from './larder.js';

/** Entry point: config → database + migrations → roles; SIGTERM/SIGINT stop gracefully. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  if (config.usesDevJwtSecret) log.warn('JWT_SECRET not set: using the development secret (refused when NODE_ENV=production)');
  await ensureDatabase(config.databaseUrl);
  const orm = await initOrm(config, log);
  const applied = await migrate(orm, config.databaseUrl);
  await orm.close();
  if (applied.length) log.info({ applied }, 'migrations applied');

  const larder = await startLarder(config, { log });
  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1); // second signal: give up waiting
    log.info({ signal }, 'signal received');
    larder.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error('Larder failed to start:', err);
  process.exit(1);
});
