import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import type { Logger } from 'pino';
import { migrationsList } from '../../migrations/index.js';
import type { Config } from './config.js';
import { entities } from './entities.js';
import { currentEntityManager } from './lazy-unit-of-work.js';

/** MikroORM options; writes go to the primary, reads that opt in (`connectionType: 'read'`) to replicas. */
export function ormOptions(config: Config, log: Logger): Options {
  return {
    clientUrl: config.databaseUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, snapshot: false, transactional: true, allOrNothing: true },
    replicas: config.replicaUrls.map((clientUrl, i) => ({ name: `replica-${i + 1}`, clientUrl })),
    // Only list/search ask for a replica; everything else reads its own writes from the primary.
    preferReadReplicas: false,
    pool: { min: 0, max: config.databasePoolMax },
    allowGlobalContext: false,
    context: currentEntityManager,
    ensureDatabase: false,
    logger: (message) => log.debug({ orm: true }, message),
  };
}

export async function initOrm(config: Config, log: Logger): Promise<MikroORM> {
  return MikroORM.init(ormOptions(config, log));
}

/** Creates the database if it is missing (the embedded default for `npm start`). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client.query(`create database ${pg.escapeIdentifier(name)}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // another instance created it first
      });
    }
  } finally {
    await client.end();
  }
}

/** Runs pending migrations under an advisory lock so instances starting together migrate once. */
export async function migrate(orm: MikroORM, databaseUrl: string): Promise<string[]> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query(`select pg_advisory_lock(hashtext('larder:migrations'))`);
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await lock.end();
  }
}
