import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../server/platform/config.js';
import { startLarder, type Larder } from '../../server/app/larder.js';
import type { ContainerOptions } from '../../server/app/container.js';
import { createTestDatabase, databaseUrl, dropDatabase } from './databases.js';
import { deleteRedisKeys } from './redis-cleanup.js';

/** The Redis server the tests use (each file under its own key prefix). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestApp extends Larder {
  url: string;
}

/**
 * One test file's world: its own PostgreSQL database (copied from the migrated template), its own
 * Redis key prefix, a temp dir for outboxes and storage, and any number of Larder instances on
 * ephemeral ports sharing them (like a multi-instance deployment).
 */
export class TestEnv {
  private readonly apps: Larder[] = [];

  private constructor(
    readonly dbName: string,
    readonly redisPrefix: string,
    readonly dir: string,
  ) {}

  static async create(): Promise<TestEnv> {
    const dbName = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'larder-test-'));
    return new TestEnv(dbName, `t:${randomBytes(5).toString('hex')}:`, dir);
  }

  get databaseUrl(): string {
    return databaseUrl(this.dbName);
  }

  /** The JSON-lines file every instance of this world writes its mails to. */
  get mailOutboxFile(): string {
    return join(this.dir, 'mail.jsonl');
  }

  /** The JSON-lines file every instance of this world writes its text messages to. */
  get smsOutboxFile(): string {
    return join(this.dir, 'sms.jsonl');
  }

  /** The JSON-lines file every instance of this world writes its development push messages to. */
  get pushOutboxFile(): string {
    return join(this.dir, 'push.jsonl');
  }

  config(env: Record<string, string> = {}): Config {
    return loadConfig(this.variables(env));
  }

  /** The environment variables of an instance of this world (also for child processes). */
  variables(env: Record<string, string> = {}): Record<string, string> {
    return {
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: this.databaseUrl,
      DATABASE_POOL_MAX: '10',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: this.redisPrefix,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      MAIL_OUTBOX_FILE: this.mailOutboxFile,
      SMS_OUTBOX_FILE: this.smsOutboxFile,
      PUSH_OUTBOX_FILE: this.pushOutboxFile,
      STORAGE_DIR: join(this.dir, 'storage'),
      SHUTDOWN_TIMEOUT_MS: '2000',
      ...env,
    };
  }

  /** Starts an instance (role `all` unless PROCESS_ROLE says otherwise) on an ephemeral port. */
  async start(env: Record<string, string> = {}, options: ContainerOptions = {}): Promise<TestApp> {
    const larder = await startLarder(this.config(env), options);
    this.apps.push(larder);
    return Object.assign(larder, { url: larder.port !== undefined ? `http://127.0.0.1:${larder.port}` : '' });
  }

  /** Stops one instance before the others (the rest stop in `close()`). */
  async stopApp(app: Larder): Promise<void> {
    this.apps.splice(this.apps.indexOf(app), 1);
    await app.stop();
  }

  /** Stops every instance, drops the database and deletes this file's Redis keys. */
  async close(): Promise<void> {
    await Promise.all(this.apps.splice(0).map((a) => a.stop()));
    await dropDatabase(this.dbName);
    await deleteRedisKeys(TEST_REDIS_URL, this.redisPrefix);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
