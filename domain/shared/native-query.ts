import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
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
 *
 * `prepared`: a named prepared statement per distinct text (each pooled connection prepares it once),
 * so PostgreSQL stops planning it on every call once its generic plan proves as cheap as the custom
 * ones. Only for statements whose text comes from a bounded set of shapes (values always bound).
 */
export async function nativeRows<T>(connection: NativeConnection, query: Sql, prepared = false): Promise<T[]> {
  const pool = (await connection.getNativeClient()) as pg.Pool;
  const { text, values } = toPg(query);
  return (await pool.query(prepared ? { name: statementName(text), text, values } : { text, values })).rows as T[];
}

const names = new Map<string, string>();

/** A stable statement name for a text (remembered: hashing a long listing query on every call costs). */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `l_${createHash('sha1').update(text).digest('base64url')}`;
    if (names.size >= 10_000) names.clear();
    names.set(text, name);
  }
  return name;
}

/** The `pg` pool under the ORM's primary connection. */
export async function nativePool(em: EntityManager): Promise<pg.Pool> {
  return (await em.getConnection().getNativeClient()) as pg.Pool;
}
