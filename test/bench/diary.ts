import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchEnv, cleanUp, insertProducts, insertUsers, loadAverage, SERVER_NODE_FLAGS, type BenchUser } from './bench-support.js';
import { measureCreates } from './diary-create.js';
import { measureCommentFanOut } from './diary-fanout.js';
import { measurePhotoUploads } from './diary-photos.js';
import { startServerProcess } from './server-process.js';

/**
 * `npm run bench -- diary [--quick] [--only create|fanout|photos] [--seconds 15] [--watchers 1000]`
 *
 * One server process (role `server`, its own database and Redis prefix), three measurements:
 *   create: POST /diary with 5 product items at 16 clients (one user each), closed loop, against the
 *     same statements through `pg` in the same run (diary-create.ts);
 *   fanout: one post, 1,000 sockets watching it, 20 comments/s over comment:add; delivery latency,
 *     against a bare Socket.IO broadcast (diary-fanout.ts);
 *   photos: 10 uploads of an 8 MB JPEG at once; the server's peak RSS growth, against a bare http
 *     server streaming the bodies to disk (diary-photos.ts).
 * The server runs with the V8 flags docker-compose gives it (SERVER_NODE_FLAGS), the bare baselines too.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      seconds: { type: 'string' },
      watchers: { type: 'string' },
    },
  });
  const quick = values.quick || process.env.BENCH_QUICK === '1';
  const seconds = Number(values.seconds ?? process.env.BENCH_SECONDS ?? (quick ? 4 : 15));
  const watchers = Number(values.watchers ?? 1_000); // the target's figure, quick or not
  const poolMax = Number(process.env.DATABASE_POOL_MAX ?? 20);
  const wants = (part: string) => !values.only || values.only === part;
  const env = benchEnv('diary', { DATABASE_POOL_MAX: String(poolMax), NODE_OPTIONS: SERVER_NODE_FLAGS.join(' ') });
  console.log(
    `diary bench${quick ? ' (quick)' : ''}: ${seconds} s per run; database ${env.dbName}, Redis prefix ${env.redisPrefix} (both removed at the end); load average ${loadAverage()}`,
  );

  const server = await startServerProcess(env.serverEnv);
  try {
    const seeded = await seed(env.databaseUrl, watchers + 200);
    if (wants('create')) {
      await measureCreates(server, env.databaseUrl, env.jwtSecret, seeded.users.slice(0, 16), seeded.products, {
        clients: 16,
        seconds,
        warmupSeconds: quick ? 1 : 3,
        poolMax,
      });
    }
    if (wants('fanout')) {
      await measureCommentFanOut(server, env.jwtSecret, seeded.users.slice(16), seeded.postId, { watchers, commentsPerSecond: 20, seconds });
    }
    if (wants('photos')) await measurePhotoUploads(server, env.jwtSecret, seeded.users.slice(0, 10), Number(process.env.BENCH_UPLOADS ?? 10));
  } finally {
    await server.stop();
    await cleanUp(env);
  }
}

/** Customers, 1,000 products with nutrition, and one post on the low-salt board. */
async function seed(databaseUrl: string, customers: number): Promise<{ users: BenchUser[]; products: string[]; postId: string }> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const [merchant] = await insertUsers(db, 1, 'merchant');
    const users = await insertUsers(db, customers, 'customer');
    const products = await insertProducts(db, merchant.id, 1_000, 100);
    await db.query(
      `update products set energy_kcal = 50 + random() * 400, salt = random() * 2, sugars = random() * 20, fibre = random() * 8, protein = random() * 20`,
    );
    const postId = randomUUID();
    await db.query(`insert into posts (id, board_slug, author_id, title, body, created_at) values ($1, 'low-salt', $2, 'Bench post', 'Comments here', now())`, [
      postId,
      merchant.id,
    ]);
    return { users, products, postId };
  } finally {
    await db.end();
  }
}
