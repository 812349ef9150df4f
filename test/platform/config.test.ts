// No useWorld() here: these tests only parse configuration, with no database, Redis or instance.
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from '../../server/platform/config.js';

const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/larder_cfg', REDIS_URL: 'redis://127.0.0.1:6379' };
const failure = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('configuration was accepted');
};

describe('configuration', () => {
  test('When nothing is set, then the embedded defaults serve on :3000 with role all and Agenda on PostgreSQL', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, role: 'all', redisUrl: 'redis://127.0.0.1:6379', authIpLimitPer5Min: 100 });
    expect(config.mongoUrl).toBeUndefined();
    expect(config.usesDevJwtSecret).toBe(true);
  });

  test.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['PROCESS_ROLE', { PROCESS_ROLE: 'both' }],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
    ['JWT_SECRET', { JWT_SECRET: 'short' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['ARGON2_CONCURRENCY', { ARGON2_CONCURRENCY: '0' }],
    ['WEBHOOK_ALLOW_PRIVATE', { WEBHOOK_ALLOW_PRIVATE: 'maybe' }],
    ['IMPORT_MAX_BYTES', { IMPORT_MAX_BYTES: '512MB' }],
    ['IMPORT_BATCH_ROWS', { IMPORT_BATCH_ROWS: '10' }],
    ['ADMIN_PASSWORD', { ADMIN_EMAIL: 'root@example.org' }],
    ['PURGE_TIME_ZONE', { PURGE_TIME_ZONE: 'Mars/Olympus_Mons' }],
    ['PHOTO_URL_TTL_SECONDS', { PHOTO_URL_TTL_SECONDS: '0' }],
    ['SOCKET_ADAPTER', { SOCKET_ADAPTER: 'cluster' }],
    ['SOCKET_ADAPTER', { SOCKET_REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000' }],
    ['SOCKET_REDIS_CLUSTER_NODES', { SOCKET_ADAPTER: 'sharded', SOCKET_REDIS_CLUSTER_NODES: 'not a url' }],
    ['WORKER_JOBS', { WORKER_JOBS: 'imports.run,Bad Job' }],
  ])('When %s has a bad value, then startup stops naming it', (name, env) => {
    expect(failure({ ...base, ...env })).toMatch(new RegExp(`^\\s+${name}(\\.\\d+)?: `, 'm')); // a list names its item: WORKER_JOBS.1
  });

  test('When NODE_ENV is production without a JWT_SECRET, then startup stops naming JWT_SECRET', () => {
    expect(failure({ ...base, NODE_ENV: 'production' })).toMatch(/JWT_SECRET: must be set in production/);
  });

  test('When ARGON2_CONCURRENCY is unset, then it is one hash per core but always below the libuv thread pool', () => {
    const cores = availableParallelism();
    expect(loadConfig({}).argon2Concurrency).toBe(Math.max(1, Math.min(cores, 3)));
    expect(loadConfig({ UV_THREADPOOL_SIZE: '64' }).argon2Concurrency).toBe(Math.min(cores, 63));
    expect(loadConfig({ UV_THREADPOOL_SIZE: '1' }).argon2Concurrency).toBe(1);
    expect(loadConfig({ ARGON2_CONCURRENCY: '6' }).argon2Concurrency).toBe(6);
  });

  test('When empty strings are set, then they count as unset', () => {
    expect(loadConfig({ ...base, MONGO_URL: '', PORT: '' })).toMatchObject({ port: 3000, mongoUrl: undefined });
  });
});
