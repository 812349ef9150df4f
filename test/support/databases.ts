import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const STALE_AFTER_SECONDS = 3 * 3600;

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The template's name changes whenever a migration changes, so parallel runs never rebuild each other's. */
export function templateName(): string {
  const dir = new URL('../../migrations/', import.meta.url);
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(new URL(file, dir)));
  return `larder_tpl_${hash.digest('hex').slice(0, 12)}`;
}

export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database for one test file, copied from the migrated template (fast: no migrations per file). */
export async function createTestDatabase(): Promise<string> {
  const name = `larder_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`create database ${name} template ${templateName()}`);
        return;
      } catch (err) {
        // CREATE DATABASE … TEMPLATE needs the template to itself: files (and parallel jest runs)
        // copying it at the same instant collide, so retry for up to ~30 s.
        if ((err as { code?: string }).code !== '55006' || attempt > 150) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin(async (client) => {
    // A pool's end() resolves before its connections have gone; give them a moment to close by
    // themselves so FORCE does not hit a client mid-goodbye (an 'error' its owner may not expect).
    for (let i = 0; i < 20; i++) {
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await client.query(`drop database if exists ${name} with (force)`);
  });
}

/** Drops test databases that crashed runs left behind (older than three hours). */
export async function dropStaleTestDatabases(): Promise<void> {
  await withAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname like 'larder\\_t\\_%'`);
    const cutoff = Date.now() / 1000 - STALE_AFTER_SECONDS;
    for (const { datname } of rows) {
      const created = Number(datname.split('_')[2]);
      if (created < cutoff) await client.query(`drop database if exists ${datname} with (force)`);
    }
  });
}
