import { RequestContext } from '@mikro-orm/core';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startWorker, workerJobs, type Worker } from '../../jobs/worker.js';
import { createHttpApp } from '../http/app.js';
import { startMetricsServer, type MetricsServer } from '../http/metrics-endpoint.js';
import type { Config } from '../platform/config.js';
import { checkReadiness } from '../platform/readiness.js';
import { createPubSubRedis, createSocketRedis } from '../platform/redis.js';
import { buildAsyncApiDocument } from '../realtime/asyncapi.js';
import { subscribeBroadcasts } from '../realtime/broadcasts.js';
import { createRealtime, type Realtime } from '../realtime/io.js';
import { adapterKey, ioRoomEmitter, redisRoomEmitter, type RoomEmitter } from '../realtime/room-emitter.js';
import { shardedRoomEmitter } from '../realtime/sharded-emitter.js';
import { createContainer, type Container, type ContainerOptions } from './container.js';
import { compactHeap } from '../platform/heap.js';

export interface Larder {
  container: Container;
  /** Set when this process serves HTTP + Socket.IO. */
  http?: HttpServer;
  realtime?: Realtime;
  port?: number;
  /** Set when METRICS_PORT serves /metrics on its own port. */
  metricsPort?: number;
  emitter: RoomEmitter;
  stop(): Promise<void>;
}

/**
 * Starts the roles of one process: `server` (Koa + Socket.IO), `worker` (Agenda jobs, the outbox
 * dispatcher, the reservation sweeper), or `all`. Stop order on shutdown: stop accepting, finish
 * in-flight requests and jobs, close sockets, then pools.
 */
export async function startLarder(config: Config, options: ContainerOptions = {}): Promise<Larder> {
  if (config.role !== 'server') workerJobs(config.workerJobs); // a bad WORKER_JOBS fails before anything opens
  const container = await createContainer(config, options);
  const { log, modules } = container;
  const serves = config.role !== 'worker';
  const works = config.role !== 'server';
  await modules.identity.ensureAdmin();

  let http: HttpServer | undefined;
  let realtime: Realtime | undefined;
  let emitterRedis: ReturnType<typeof createSocketRedis> | undefined;
  let emitter: RoomEmitter;
  if (serves) {
    const app = createHttpApp(container, () => checkReadiness(container), buildAsyncApiDocument(config.publicUrl));
    http = createServer(app.callback());
    http.keepAliveTimeout = 65_000;
    realtime = await createRealtime(http, container);
    emitter = ioRoomEmitter(realtime.io);
    await new Promise<void>((resolve, reject) => {
      http!.once('error', reject);
      http!.listen(config.port, resolve);
    });
  } else {
    const key = adapterKey(config.redisPrefix);
    if (config.socketAdapter === 'sharded') {
      const redis = createSocketRedis(config.redisUrl, config.socketRedisClusterNodes, 'larder-emitter');
      emitterRedis = redis;
      emitter = shardedRoomEmitter(redis, key);
    } else {
      const redis = createPubSubRedis(config.redisUrl, 'larder-emitter');
      emitterRedis = redis;
      emitter = redisRoomEmitter(redis, key);
    }
    await emitterRedis.connect();
  }
  const unsubscribe = subscribeBroadcasts({ events: container.events, emitter, availability: modules.inventory.available, log });
  if (works) {
    modules.inventory.sweeper.start(config.cartSweepIntervalMs);
    modules.outbox.start(config.outboxPollIntervalMs);
    modules.notifications.deliveries.start(config.notificationPollIntervalMs);
  }
  const worker: Worker | undefined = works ? await startWorker(container) : undefined;
  if (works) {
    const localities = await RequestContext.create(container.orm.em, () => modules.mealsets.reminderSchedule.syncAll());
    log.info({ localities }, 'meal-set reminder schedules in step with the localities');
    compactHeap();
  }
  if (!works) await container.scheduler.notifyWorkers();
  const metricsServer: MetricsServer | undefined =
    config.metricsPort === undefined ? undefined : await startMetricsServer(config.metricsPort, container.metrics, config.metricsToken);
  const port = http ? (http.address() as AddressInfo).port : undefined;
  log.info({ role: config.role, port, scheduler: container.scheduler.store }, 'larder started');

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
      await step('reservation sweeper', () => modules.inventory.sweeper.stop());
      await step('outbox dispatcher', () => modules.outbox.stop());
      await step('notification deliveries', () => modules.notifications.deliveries.stop());
      await step('queued import pushes', () => modules.imports.stop());
      await step('worker', () => worker?.stop(config.shutdownTimeoutMs));
      // Domain events stop turning into emits before the adapter's Redis clients close under them.
      await step('broadcasts', () => Promise.all(unsubscribe.map((u) => u())));
      await step('realtime', () => realtime?.close());
      http?.closeAllConnections();
      await closed;
      await step('metrics server', () => metricsServer?.close());
      emitterRedis?.disconnect();
      await step('container', () => container.close());
      log.info('stopped');
    })());

  return { container, http, realtime, port, metricsPort: metricsServer?.port, emitter, stop };
}
