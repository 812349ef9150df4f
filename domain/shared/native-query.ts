import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Sql } from './sql.js';

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
 * Runs a read on the `pg` pool under the ORM's connection (a replica for `read` when configured),
 * with bound parameters. `em.execute` formats every value into the SQL text in JavaScript first,
 * which on a listing's long query cost more CPU than PostgreSQL spent running it.
 */
export async function nativeRows<T>(em: EntityManager, query: Sql, type: 'read' | 'write' = 'read'): Promise<T[]> {
  const pool = await nativePool(em, type);
  const { text, values } = toPg(query);
  return (await pool.query({ text, values })).rows as T[];
}

/** The `pg` pool under the ORM's primary (`write`) or a read connection. */
export async function nativePool(em: EntityManager, type: 'read' | 'write' = 'write'): Promise<pg.Pool> {
  return (em.getConnection(type) as unknown as { getNativeClient(): Promise<pg.Pool> }).getNativeClient();
}
