import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/shared/clock.js';
import type { ObjectStorage } from '../../domain/shared/object-storage.js';
import type { Modules } from '../../domain/modules.js';
import type { Config } from './config.js';
import type { Metrics } from './metrics.js';

/**
 * What the adapters (HTTP routes, socket handlers, jobs) are given by the composition root: the
 * domain modules they call, and the process pieces every entry point needs (a unit of work per
 * request, logs, metrics, time).
 */
export interface AppContext {
  config: Config;
  log: Logger;
  orm: MikroORM;
  clock: Clock;
  metrics: Metrics;
  modules: Modules;
  /** The file store (photos, import spools): local signed URLs are served by the HTTP adapter. */
  storage: ObjectStorage;
}
