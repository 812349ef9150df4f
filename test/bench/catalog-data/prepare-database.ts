import pg from 'pg';
import { loadConfig } from '../../../server/platform/config.js';
import { createLogger } from '../../../server/platform/logger.js';
import { ensureDatabase, initOrm, migrate } from '../../../server/platform/orm.js';

/** Creates and migrates DATABASE_URL (default: the development database); returns a connected client. */
export async function openMigratedDatabase(): Promise<{ client: pg.Client; url: string }> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  await ensureDatabase(config.databaseUrl);
  const orm = await initOrm(config, createLogger('warn'));
  try {
    await migrate(orm, config.databaseUrl);
  } finally {
    await orm.close();
  }
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  return { client, url: config.databaseUrl };
}

/** Returns the id of a merchant with this e-mail, creating it (no password: it cannot sign in). */
export async function ensureMerchant(client: pg.Client, email: string, name: string): Promise<string> {
  const { rows } = await client.query(
    `insert into users (id, email, name, role, health_profile, created_at, updated_at)
     values (gen_random_uuid(), $1, $2, 'merchant', '{"conditions":[],"diets":[],"allergens":[]}', now(), now())
     on conflict (email) where email is not null do update set name = excluded.name returning id`,
    [email, name],
  );
  return rows[0].id;
}
