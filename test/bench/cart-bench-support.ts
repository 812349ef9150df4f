// What the cart benches share: their option reading, seeding, the server's lifecycle, socket acks.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchEnv, cleanUp, insertProducts, insertUsers, loadAverage, type BenchEnv, type BenchUser } from './bench-support.js';
import { buildDist, startServerGroup, type Entry, type ServerGroup } from './server-process.js';

/** A socket event's ack, as the server writes it. */
export type Ack = { ok: true; data: unknown } | { ok: false; error: { code: string } };

/** Reads a numeric option: the value given, else BENCH_SECONDS for a duration, else the full or the `--quick` default. */
export type NumberOption = (name: string, full: number, short: number, seconds?: boolean) => number;

/** How many server processes, which Socket.IO adapter (`--instances 3 --adapter sharded`), and how they run. */
export interface Cluster {
  instances: number;
  adapter: ServerGroup['adapter'];
  /** `compiled`: the JavaScript of `npm run build`, as the Docker image runs it (default); `tsx`: the sources (`--tsx`). */
  entry: Entry;
}

/**
 * Parses a cart bench's arguments: `--quick` (or BENCH_QUICK=1), `--instances N`,
 * `--adapter classic|sharded` (default 1 instance, classic) and `--tsx` (run the sources instead of
 * the compiled build), plus the given string options.
 */
export function parseCartArgs(args: string[], options: Record<string, { type: 'string' }>) {
  const parsed = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      tsx: { type: 'boolean', default: false },
      instances: { type: 'string' },
      adapter: { type: 'string' },
      ...options,
    },
  });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const adapter = values.adapter ?? 'classic';
  if (adapter !== 'classic' && adapter !== 'sharded') throw new Error('--adapter takes classic or sharded');
  const instances = Number(values.instances ?? 1);
  if (!Number.isInteger(instances) || instances < 1 || instances > 16) throw new Error('--instances takes a whole number from 1 to 16');
  const cluster: Cluster = { instances, adapter, entry: values.tsx === true ? 'tsx' : 'compiled' };
  const quick = values.quick === true || process.env.BENCH_QUICK === '1';
  const envSeconds = process.env.BENCH_SECONDS ? Number(process.env.BENCH_SECONDS) : undefined;
  const opt: NumberOption = (name, full, short, seconds = false) => {
    const given = values[name];
    if (typeof given === 'string') return Number(given);
    if (seconds && envSeconds !== undefined) return envSeconds;
    return quick ? short : full;
  };
  return { values, quick, opt, cluster };
}

export interface Seeded {
  customers: BenchUser[];
  products: string[];
  fanoutProduct: string;
}

const STOCK = 10_000_000;

async function seed(databaseUrl: string, customers: number, products: number): Promise<Seeded> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const [merchant] = await insertUsers(db, 1, 'merchant');
    const users = await insertUsers(db, customers, 'customer');
    const ids = await insertProducts(db, merchant.id, products + 1, STOCK);
    return { customers: users, products: ids.slice(0, products), fanoutProduct: ids[products] };
  } finally {
    await db.end();
  }
}

/**
 * Prints `header`, starts `cluster.instances` server processes (adapter `cluster.adapter`) with
 * their own database and Redis prefix (named after `name`), seeds `customers` customers and `products` products plus the fan-out product (10 M stock
 * each), runs `measure`, and stops the server and removes the database and keys whatever happens.
 */
export async function withCartServer(
  name: string,
  header: string,
  seeding: { customers: number; products: number },
  cluster: Cluster,
  measure: (servers: ServerGroup, env: BenchEnv, seeded: Seeded) => Promise<void>,
): Promise<void> {
  const env = benchEnv(name);
  console.log(header);
  console.log(
    `${cluster.instances} server instance(s), ${cluster.adapter} Socket.IO adapter; database ${env.dbName}, Redis prefix ${env.redisPrefix} ` +
      `(both removed at the end); load average ${loadAverage()}`,
  );
  if (cluster.entry === 'compiled') await buildDist();
  console.log(`server: ${cluster.entry === 'tsx' ? 'TypeScript under tsx (--tsx)' : 'compiled (dist/, as the Docker image runs it)'}`);
  const server = await startServerGroup(env.serverEnv, cluster.instances, cluster.adapter, cluster.entry);
  try {
    await measure(server, env, await seed(env.databaseUrl, seeding.customers, seeding.products));
  } finally {
    await server.stop();
    await cleanUp(env);
  }
}

/** The largest value (a loop, not Math.max(...values): the lists hold too many values to spread). */
export function maxOf(values: number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}
