import { createLogger } from '../../server/platform/logger.js';
import { loadConfig } from '../../server/platform/config.js';
import { initOrm, migrate } from '../../server/platform/orm.js';
import { databaseUrl, dropStaleTestDatabases, templateName, withAdmin } from './databases.js';

/**
 * Builds the migrated template database once per migration set; every test file then copies it.
 * An advisory lock serialises concurrent jest runs building the same template.
 */
async function buildTemplate(): Promise<void> {
  const name = templateName();
  await withAdmin(async (client) => {
    await client.query(`select pg_advisory_lock(hashtext('larder:test-template'))`);
    try {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (rowCount) return;
      await client.query(`create database ${name}_building`).catch(async () => {
        await client.query(`drop database ${name}_building with (force)`);
        await client.query(`create database ${name}_building`);
      });
      const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl(`${name}_building`), LOG_LEVEL: 'silent' });
      const orm = await initOrm(config, createLogger('silent'));
      try {
        await migrate(orm, config.databaseUrl);
      } finally {
        await orm.close();
      }
      await client.query(`alter database ${name}_building rename to ${name}`);
    } finally {
      await client.query(`select pg_advisory_unlock(hashtext('larder:test-template'))`);
    }
  });
  await dropStaleTestDatabases();
}

await buildTemplate();
