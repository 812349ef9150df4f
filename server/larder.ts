import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createContainer, type Container, type ContainerOptions } from './container.js';
import type { Config } from './config.js';
import { createHttpApp } from './http/app.js';
import { createRealtime, type Realtime } from './realtime/io.js';
import { ioRoomEmitter, redisRoomEmitter, adapterKey, type RoomEmitter } from './realtime/room-emitter.js';
import { subscribeBroadcasts } from './realtime/broadcasts.js';
import { createPubSubRedis } from './redis.js';
import { startWorker, type Worker } from '../jobs/worker.js';
import { bootstrap } from './bootstrap.js';

export interface Larder {
  container: Container;
  /** Set when this process serves HTTP + Socket.IO. */
  http?: HttpServer;
  realtime?: Realtime;
  port?: number;
  emitter: RoomEmitter;
  stop(): Promise<void>;
}

/**
 * Starts the roles of one process: `server` (Koa + Socket.IO), `worker` (Agenda), or `all`.
 * Stop order on shutdown: stop accepting, finish in-flight requests and jobs, close sockets, then pools.
 */
export async function startLarder(config: Config, options: ContainerOptions = {}): Promise<Larder> {
  const container = await createContainer(config, options);
  const { log } = container.deps;
  const serves = config.role !== 'worker';
  const works = config.role !== 'server';
  await bootstrap(container);

  let http: HttpServer | undefined;
  let realtime: Realtime | undefined;
  let emitterRedis: ReturnType<typeof createPubSubRedis> | undefined;
  let emitter: RoomEmitter;
  if (serves) {
    const app = createHttpApp(container);
    http = createServer(app.callback());
    http.keepAliveTimeout = 65_000;
    realtime = await createRealtime(http, container);
    emitter = ioRoomEmitter(realtime.io);
    await new Promise<void>((resolve, reject) => {
      http!.once('error', reject);
      http!.listen(config.port, resolve);
    });
  } else {
    emitterRedis = createPubSubRedis(config.redisUrl, 'larder-emitter');
    await emitterRedis.connect();
    emitter = redisRoomEmitter(emitterRedis, adapterKey(config.redisPrefix));
  }
  const { events } = container.deps;
  const unsubscribe = subscribeBroadcasts({ events, emitter, inventory: container.services.inventory, log });
  if (works) container.services.cartSweeper.start(config.cartSweepIntervalMs);
  const worker: Worker | undefined = works ? await startWorker(container) : undefined;
  const port = http ? (http.address() as AddressInfo).port : undefined;
  log.info({ role: config.role, port, scheduler: container.deps.jobs.store }, 'larder started');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log.info('shutting down');
      // Every step runs even if an earlier one failed: a skipped step would leave sockets or pools open.
      const step = async (name: string, work: () => unknown) => {
        try {
          await work();
        } catch (err) {
          log.warn({ err, step: name }, 'shutdown step failed');
        }
      };
      const closed = http ? new Promise<void>((resolve) => http!.close(() => resolve())) : Promise.resolve();
      http?.closeIdleConnections();
      await step('cart sweeper', () => container.services.cartSweeper.stop());
      await step('worker', () => worker?.stop(config.shutdownTimeoutMs));
      // Domain events stop turning into emits before the adapter's Redis clients close under them.
      await step('broadcasts', () => Promise.all(unsubscribe.map((u) => u())));
      await step('realtime', () => realtime?.close());
      http?.closeAllConnections();
      await closed;
      emitterRedis?.disconnect();
      await step('container', () => container.close());
      log.info('stopped');
    })());

  return { container, http, realtime, port, emitter, stop };
}
