import { availableParallelism } from 'node:os';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
/** A 32-byte key written as 64 hex digits or base64 (44 characters). */
const key32 = z
  .string()
  .transform((v) => Buffer.from(v.trim(), /^[0-9a-f]{64}$/i.test(v.trim()) ? 'hex' : 'base64'))
  .refine((b) => b.length === 32, 'must be 32 bytes: 64 hex digits or 44 base64 characters (e.g. `openssl rand -base64 32`)');
const DEV_JWT_SECRET = 'larder-development-secret-change-me-0123456789';

/** Every environment variable Larder reads; README's configuration table mirrors this. */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PROCESS_ROLE: z.enum(['all', 'server', 'worker']).default('all'),
    WORKER_JOBS: csv.pipe(z.array(z.string().regex(/^[a-z0-9.-]+(\.\*)?$/, 'job names or module.* prefixes'))).default([]),
    DATABASE_URL: z.url().default('postgresql://postgres@127.0.0.1:5432/larder'),
    DATABASE_REPLICA_URLS: csv.pipe(z.array(z.url())).default([]),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
    REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z.string().max(64).default('larder:'),
    SOCKET_ADAPTER: z.enum(['classic', 'sharded']).default('classic'),
    SOCKET_REDIS_CLUSTER_NODES: csv.pipe(z.array(z.url())).default([]),
    MONGO_URL: z.url().optional(),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
    ADMIN_EMAIL: z.email().optional(),
    ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
    SMTP_URL: z.url().optional(),
    MAIL_FROM: z.string().default('Larder <no-reply@larder.local>'),
    MAIL_OUTBOX_FILE: z.string().default('var/mail-outbox.jsonl'),
    SMS_OUTBOX_FILE: z.string().default('var/sms-outbox.jsonl'),
    PUSH_OUTBOX_FILE: z.string().default('var/push-outbox.jsonl'),
    VAPID_PUBLIC_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{80,100}$/, 'must be a base64url P-256 public key (npx web-push generate-vapid-keys)')
      .optional(),
    VAPID_PRIVATE_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{40,50}$/, 'must be a base64url P-256 private key (npx web-push generate-vapid-keys)')
      .optional(),
    VAPID_SUBJECT: z
      .string()
      .regex(/^(mailto:|https:\/\/)\S+$/, 'must be a mailto: or https: contact')
      .default('mailto:no-reply@larder.local'),
    PUSH_ALLOW_PRIVATE_ENDPOINTS: bool.default(false),
    REMINDER_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(5_000),
    STORAGE_DIR: z.string().default('var/storage'),
    S3_BUCKET: z.string().min(3).max(63).optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_REGION: z.string().default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_FORCE_PATH_STYLE: bool.optional(),
    PUBLIC_URL: z.url().optional(),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    CART_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    CART_MAX_HOLD_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .default(3600),
    SOCKETS_PER_USER: z.coerce.number().int().min(1).max(1000).default(10),
    SOCKET_USER_EVENTS_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(100),
    OTP_PHONE_DAILY_LIMIT: z.coerce.number().int().min(1).default(10),
    OTP_IP_DAILY_LIMIT: z.coerce.number().int().min(1).default(50),
    DRIVER_SPEED_KMH: z.coerce.number().positive().max(200).default(25),
    DELIVERY_RADIUS_KM: z.coerce.number().positive().max(500).default(30),
    CHECKOUT_BATCH_MAX: z.coerce.number().int().min(1).max(500).default(64),
    CHECKOUT_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(50).default(2),
    CHECKOUT_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(4),
    WEBHOOK_ALLOW_PRIVATE: bool.default(false),
    IMPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 ** 3)
      .default(512 * 1024 ** 2),
    IMPORT_BATCH_ROWS: z.coerce.number().int().min(100).max(100_000).default(5_000),
    TRUST_PROXY: bool.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    AUTH_IP_LIMIT_PER_5MIN: z.coerce.number().int().min(1).default(100),
    ARGON2_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
    PURGE_TIME_ZONE: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin'),
    PHOTO_URL_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .default(900),
    SHARED_PHOTO_URL_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    POS_TOKEN_KEY: key32.optional(),
    POS_ALLOWED_BASE_URLS: csv
      .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1))
      .default(['https://connect.squareup.com', 'https://connect.squareupsandbox.com']),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.JWT_SECRET !== DEV_JWT_SECRET, {
    path: ['JWT_SECRET'],
    message: 'must be set in production',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.PUBLIC_URL !== undefined, {
    path: ['PUBLIC_URL'],
    message: 'must be set in production (it goes into mailed links, the API documents and HSTS)',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.METRICS_TOKEN !== undefined || env.METRICS_PORT !== undefined, {
    path: ['METRICS_TOKEN'],
    message: 'set METRICS_TOKEN or METRICS_PORT in production: /metrics is never public there',
  })
  .refine((env) => !env.ADMIN_EMAIL === !env.ADMIN_PASSWORD, {
    path: ['ADMIN_PASSWORD'],
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together',
  })
  .refine((env) => !env.VAPID_PUBLIC_KEY === !env.VAPID_PRIVATE_KEY, {
    path: ['VAPID_PRIVATE_KEY'],
    message: 'VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together',
  })
  .refine((env) => env.SOCKET_REDIS_CLUSTER_NODES.length === 0 || env.SOCKET_ADAPTER === 'sharded', {
    path: ['SOCKET_ADAPTER'],
    message: 'must be sharded when SOCKET_REDIS_CLUSTER_NODES is set (classic pub/sub does not scale on a Redis Cluster)',
  });

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  role: Env['PROCESS_ROLE'];
  /** Jobs this process's worker runs (names or `module.*`); empty = all. */
  workerJobs: string[];
  databaseUrl: string;
  replicaUrls: string[];
  databasePoolMax: number;
  redisUrl: string;
  redisPrefix: string;
  /** `sharded`: Socket.IO over Redis ≥ 7 sharded pub/sub (SPUBLISH), which Redis Cluster spreads over its shards. */
  socketAdapter: Env['SOCKET_ADAPTER'];
  /** Seed nodes of a Redis Cluster carrying the Socket.IO traffic (sharded adapter only); empty = REDIS_URL. */
  socketRedisClusterNodes: string[];
  mongoUrl?: string;
  jwtSecret: string;
  usesDevJwtSecret: boolean;
  admin?: { email: string; password: string };
  smtpUrl?: string;
  mailFrom: string;
  mailOutboxFile: string;
  smsOutboxFile: string;
  pushOutboxFile: string;
  /** Web push keys; without them, browsers' pushes go to the push outbox file. */
  vapid?: { publicKey: string; privateKey: string; subject: string };
  pushAllowPrivateEndpoints: boolean;
  reminderBatchSize: number;
  /** How often a worker looks for e-mail/SMS/push deliveries coming due (not an env variable). */
  notificationPollIntervalMs: number;
  storageDir: string;
  /** Set when files go to an S3-compatible bucket instead of `storageDir`. */
  s3?: { bucket: string; endpoint?: string; region: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
  publicUrl: string;
  /** Bearer token /metrics requires, when set. */
  metricsToken?: string;
  /** When set, /metrics is served on this port only (not on the public one). */
  metricsPort?: number;
  cartTtlSeconds: number;
  /** A cart's reservations never outlive this, however often it changes. */
  cartMaxHoldSeconds: number;
  socketsPerUser: number;
  socketUserEventsPerSecond: number;
  otpPhoneDailyLimit: number;
  otpIpDailyLimit: number;
  /** How often the worker asks Redis for expired carts (not an env variable: tests shorten it). */
  cartSweepIntervalMs: number;
  /** How often a worker polls the outbox when no local commit woke it (not an env variable). */
  outboxPollIntervalMs: number;
  driverSpeedKmh: number;
  deliveryRadiusKm: number;
  /** Group commit of checkouts: batch size, longest wait, batches at once (see domain/shared/batcher.ts). */
  checkoutBatching: { maxBatch: number; maxWaitMs: number; maxInFlight: number };
  webhookAllowPrivate: boolean;
  /** Largest CSV upload accepted for an import, in bytes. */
  importMaxBytes: number;
  /** Rows per import batch (each batch one transaction). */
  importBatchRows: number;
  /** How often import progress is pushed (not an env variable). */
  importProgressIntervalMs: number;
  trustProxy: boolean;
  logLevel: Env['LOG_LEVEL'];
  authIpLimitPer5Min: number;
  argon2Concurrency: number;
  shutdownTimeoutMs: number;
  /** The daily diary trash purge runs at 06:00 in this zone. */
  purgeTimeZone: string;
  photoUrlTtlSeconds: number;
  sharedPhotoUrlTtlSeconds: number;
  /** Encrypts POS access tokens at rest (AES-256-GCM); unset = POS connections refused. */
  posTokenKey?: Buffer;
  posAllowedBaseUrls: string[];
}

export class ConfigError extends Error {}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Password hashes in flight when ARGON2_CONCURRENCY is unset: one per core (more only time-slice the
 * cores and thrash the caches with 19 MiB each), and always fewer than libuv's thread pool
 * (UV_THREADPOOL_SIZE, 4 by default) so JWT signing, DNS lookups and file I/O never queue behind hashes.
 */
export function defaultArgon2Concurrency(source: Record<string, string | undefined> = process.env): number {
  const threadPool = Number(source.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.min(availableParallelism(), threadPool - 1));
}

/** Reads and validates the environment; a bad value stops startup naming the variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    role: e.PROCESS_ROLE,
    workerJobs: e.WORKER_JOBS,
    databaseUrl: e.DATABASE_URL,
    replicaUrls: e.DATABASE_REPLICA_URLS,
    databasePoolMax: e.DATABASE_POOL_MAX,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    socketAdapter: e.SOCKET_ADAPTER,
    socketRedisClusterNodes: e.SOCKET_REDIS_CLUSTER_NODES,
    mongoUrl: e.MONGO_URL,
    jwtSecret: e.JWT_SECRET,
    usesDevJwtSecret: e.JWT_SECRET === DEV_JWT_SECRET,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailOutboxFile: e.MAIL_OUTBOX_FILE,
    smsOutboxFile: e.SMS_OUTBOX_FILE,
    pushOutboxFile: e.PUSH_OUTBOX_FILE,
    vapid: e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY, subject: e.VAPID_SUBJECT } : undefined,
    pushAllowPrivateEndpoints: e.PUSH_ALLOW_PRIVATE_ENDPOINTS,
    reminderBatchSize: e.REMINDER_BATCH_SIZE,
    notificationPollIntervalMs: 1_000,
    storageDir: e.STORAGE_DIR,
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          endpoint: e.S3_ENDPOINT,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          // MinIO, s3rver and most self-hosted stores want path-style URLs; AWS itself does not.
          forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== undefined,
        }
      : undefined,
    publicUrl: e.PUBLIC_URL ?? 'http://localhost:3000',
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
    cartTtlSeconds: e.CART_TTL_SECONDS,
    cartMaxHoldSeconds: e.CART_MAX_HOLD_SECONDS,
    socketsPerUser: e.SOCKETS_PER_USER,
    socketUserEventsPerSecond: e.SOCKET_USER_EVENTS_PER_SECOND,
    otpPhoneDailyLimit: e.OTP_PHONE_DAILY_LIMIT,
    otpIpDailyLimit: e.OTP_IP_DAILY_LIMIT,
    cartSweepIntervalMs: 1_000,
    outboxPollIntervalMs: 500,
    driverSpeedKmh: e.DRIVER_SPEED_KMH,
    deliveryRadiusKm: e.DELIVERY_RADIUS_KM,
    checkoutBatching: { maxBatch: e.CHECKOUT_BATCH_MAX, maxWaitMs: e.CHECKOUT_BATCH_WAIT_MS, maxInFlight: e.CHECKOUT_BATCHES_IN_FLIGHT },
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    importMaxBytes: e.IMPORT_MAX_BYTES,
    importBatchRows: e.IMPORT_BATCH_ROWS,
    importProgressIntervalMs: 250,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    authIpLimitPer5Min: e.AUTH_IP_LIMIT_PER_5MIN,
    argon2Concurrency: e.ARGON2_CONCURRENCY ?? defaultArgon2Concurrency(source),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    purgeTimeZone: e.PURGE_TIME_ZONE,
    photoUrlTtlSeconds: e.PHOTO_URL_TTL_SECONDS,
    sharedPhotoUrlTtlSeconds: e.SHARED_PHOTO_URL_TTL_SECONDS,
    posTokenKey: e.POS_TOKEN_KEY,
    posAllowedBaseUrls: e.POS_ALLOWED_BASE_URLS,
  };
}
