import type { TestSocket } from './sockets.js';
import type { ContainerOptions } from '../../server/app/container.js';
import { httpClient, type HttpClient } from './http.js';
import { OpenSockets } from './open-sockets.js';
import { TcpProxy } from './tcp-proxy.js';
import { TEST_REDIS_URL, TestEnv, type TestApp } from './test-env.js';
import { createUser, type TestUser } from './users.js';

export interface WorldOptions {
  /** Environment variables of the first instance, e.g. PROCESS_ROLE, DATABASE_POOL_MAX, CART_TTL_SECONDS. */
  variables?: Record<string, string>;
  /** Container options of the first instance: a ManualClock, an SMS sender, a mailer. */
  container?: ContainerOptions;
  /** Whether an instance is started before the tests (default true): false when every test starts its own. */
  startApp?: boolean;
  /** Whether a merchant is created on the first instance (default false). */
  merchant?: boolean;
  /** Whether the first instance reaches Redis through a TcpProxy the tests can cut (default false). */
  redisProxy?: boolean;
}

/** A test file's world; read its fields inside hooks and tests (they are set by useWorld's beforeAll). */
export interface World {
  /** The database, Redis prefix and outbox files shared by every instance. */
  readonly env: TestEnv;
  /** The first instance. */
  readonly app: TestApp;
  /** An HTTP client of the first instance (safe to keep in a module constant: it reads the URL per request). */
  readonly http: HttpClient;
  /** The merchant made with `merchant: true`. */
  readonly merchant: TestUser;
  /** The proxy in front of Redis made with `redisProxy: true`. */
  readonly redisProxy: TcpProxy;
  /** Starts another instance sharing the database and Redis prefix (stopped with the world). */
  start(variables?: Record<string, string>, container?: ContainerOptions): Promise<TestApp>;
  /** Closes the sockets the world opened to `app`, then stops it. */
  stop(app: TestApp): Promise<void>;
  /**
   * Opens a socket as `user` (a test user, a raw token, or undefined for none) to `app` (the first
   * instance by default); it is closed after the test, or at the end of the file when opened in a beforeAll.
   */
  connect(user: TestUser | string | undefined, app?: TestApp): Promise<TestSocket>;
}

/**
 * Sets up a test file's (or describe block's) world: its own database and Redis prefix, a first
 * instance started with `options`, and what the options ask for. Registers beforeAll/afterAll and
 * the afterEach that closes the test's sockets.
 */
export function useWorld(options: WorldOptions = {}): World {
  let env: TestEnv | undefined;
  let app: TestApp | undefined;
  let merchant: TestUser | undefined;
  let redisProxy: TcpProxy | undefined;
  const sockets = new OpenSockets();

  beforeAll(async () => {
    if (options.redisProxy) redisProxy = await startProxy(TEST_REDIS_URL);
    env = await TestEnv.create();
    if (options.startApp === false) return;
    app = await env.start({ ...(redisProxy && { REDIS_URL: redisProxy.url('redis') }), ...options.variables }, options.container);
    if (options.merchant) merchant = await createUser(app, 'merchant');
  });
  sockets.closeAfterEachTest();
  afterAll(async () => {
    sockets.closeAll();
    await env?.close();
    await redisProxy?.close();
  });

  const world: World = {
    get env() {
      return present(env, 'env', 'useWorld() sets it in its beforeAll');
    },
    get app() {
      return present(app, 'app', 'useWorld() starts it in its beforeAll, unless startApp is false');
    },
    http: httpClient(() => world.app.url),
    get merchant() {
      return present(merchant, 'merchant', 'ask for one with useWorld({ merchant: true })');
    },
    get redisProxy() {
      return present(redisProxy, 'redisProxy', 'ask for one with useWorld({ redisProxy: true })');
    },
    start: (variables, container) => world.env.start(variables, container),
    async stop(instance) {
      sockets.closeOn(instance);
      await world.env.stopApp(instance);
    },
    connect: (user, instance = world.app) => sockets.open(instance, typeof user === 'object' ? user.token : user),
  };
  return world;
}

function present<T>(value: T | undefined, name: string, hint: string): T {
  if (value === undefined) throw new Error(`the world has no ${name} yet: ${hint}`);
  return value;
}

function startProxy(url: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(url);
  return TcpProxy.start({ host: hostname, port: Number(port || 6379) });
}
