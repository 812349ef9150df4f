import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Sql } from './sql.js';

/** A MikroORM connection (`em.getConnection(type)`), seen through the `pg` pool under it. */
export interface NativeConnection {
  getNativeClient(): Promise<unknown>;
}

/**
 * `?` placeholders → `$n` for the `pg` driver; an array value expands to a comma list of parameters,
 * exactly as MikroORM expands it, so one `Sql` runs the same either way.
 */
export function toPg(query: Sql): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  let i = 0;
  const text = query.text.replace(/\?/g, () => {
    const v = query.params[i++];
    const list = Array.isArray(v) ? v : [v];
    return list
      .map((item) => {
        values.push(item);
        return `$${values.length}`;
      })
      .join(', ');
  });
  return { text, values };
}

/**
 * Runs a query on the `pg` pool under an ORM connection (a replica's for listings), with bound
 * parameters. `connection.execute` formats every value into the SQL text in JavaScript first, which
 * on a listing's long query cost more CPU than PostgreSQL spent running it.
 */
export async function nativeRows<T>(connection: NativeConnection, query: Sql): Promise<T[]> {
  const pool = (await connection.getNativeClient()) as pg.Pool;
  const { text, values } = toPg(query);
  return (await pool.query({ text, values })).rows as T[];
}

/** The `pg` pool under the ORM's primary connection. */
export async function nativePool(em: EntityManager): Promise<pg.Pool> {
  return (await em.getConnection().getNativeClient()) as pg.Pool;
}
