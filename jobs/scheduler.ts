import { Agenda, type AgendaBackend } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../server/platform/config.js';
import type { JobName, JobPayloads, JobQueue, RepeatOptions } from '../domain/shared/job-queue.js';

export interface Scheduler extends JobQueue {
  readonly agenda: Agenda;
  readonly store: 'mongodb' | 'postgresql';
  /** Round-trip to the schedule store, for /readyz. */
  ping(): Promise<void>;
  /**
   * For a process that only enqueues (role server): announces new jobs on the store's notification
   * channel (PostgreSQL LISTEN/NOTIFY), so workers start them at once instead of at their next poll.
   * Worker processes get this from `agenda.start()`.
   */
  notifyWorkers(): Promise<void>;
  /** Stops processing (unlocking jobs it holds) and closes the store connection. */
  close(): Promise<void>;
}

interface Store {
  name: Scheduler['store'];
  backend: AgendaBackend;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** MongoDB when MONGO_URL is set (production, docker-compose); else the PostgreSQL database itself. */
function openStore(config: Config, log: Logger): Store {
  if (config.mongoUrl) {
    const client = new MongoClient(config.mongoUrl, { serverSelectionTimeoutMS: 2_000 });
    return {
      name: 'mongodb',
      backend: new MongoBackend({ mongo: client.db(), collection: 'agendaJobs' }),
      ping: async () => void (await client.db().command({ ping: 1 })),
      close: () => client.close(),
    };
  }
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4 });
  pool.on('error', () => {}); // idle-client errors surface through ping() and job failures instead
  const backend = new PostgresBackend({ pool, tableName: 'agenda_jobs', channelName: 'agenda_jobs', ensureSchema: false }); // table: migrations
  // The LISTEN connection re-emits its errors on the channel, and nobody else listens: without this a
  // PostgreSQL restart (or a terminated backend) is an unhandled 'error' that kills the process. The
  // channel reconnects by itself; until then jobs are still found by the processEvery poll.
  backend.notificationChannel?.on('error', (err: Error) => log.warn({ err }, 'scheduler notification channel error'));
  return {
    name: 'postgresql',
    backend,
    ping: async () => void (await pool.query('select 1')),
    async close() {
      // Agenda disconnects the channel when it stops; this also covers a LISTEN reconnect still in
      // flight from a connection loss, which would otherwise hold a client (and a retry timer) open.
      await backend.notificationChannel?.disconnect().catch(() => {});
      await pool.end();
    },
  };
}

/** Builds Agenda. It only enqueues until the worker role calls `agenda.start()`. */
export function createScheduler(config: Config, log: Logger): Scheduler {
  const store = openStore(config, log);
  const agenda = new Agenda({
    backend: store.backend,
    name: `${config.role}-${process.pid}`,
    processEvery: '5 seconds',
    defaultLockLifetime: 10 * 60_000,
    maxConcurrency: 20,
    removeOnComplete: true,
  });
  agenda.on('error', (err) => log.error({ err }, 'scheduler error'));

  return {
    agenda,
    store: store.name,
    async enqueue<N extends JobName>(name: N, data: JobPayloads[N], options: { at?: Date } = {}) {
      const job = options.at ? await agenda.schedule(options.at, name, data) : await agenda.now(name, data);
      return { jobId: String(job.attrs._id) };
    },
    repeat: (name, data, options) => repeat(agenda, name, data, options),
    ping: store.ping,
    async notifyWorkers() {
      const channel = store.backend.notificationChannel;
      if (!channel) return;
      await agenda.ready; // the backend hands the channel its pool when it connects
      if (channel.state === 'disconnected') await channel.connect();
    },
    async close() {
      try {
        await agenda.stop(false);
      } finally {
        await store.close(); // even if unlocking failed: an open pool keeps the process alive
      }
    },
  };
}

/**
 * A keyed recurring schedule: the key is stored in the job's data (`scheduleKey`). An unchanged
 * schedule is left alone (re-saving would recompute a due run's next time and skip it); a changed one
 * is replaced. On PostgreSQL a unique index on the key makes two processes scheduling the same key at
 * once leave one schedule: the loser's insert fails and is ignored.
 */
async function repeat<N extends JobName>(agenda: Agenda, name: N, data: JobPayloads[N], { key, cron, timeZone }: RepeatOptions): Promise<void> {
  const tagged = { ...data, scheduleKey: key };
  const { jobs } = await agenda.queryJobs({ name, data: { scheduleKey: key } });
  const same = (j: (typeof jobs)[number]) => j.repeatInterval === cron && j.repeatTimezone === timeZone && canonical(j.data) === canonical(tagged);
  if (jobs.length === 1 && same(jobs[0])) return;
  if (jobs.length) await agenda.cancel({ name, data: { scheduleKey: key } });
  const job = agenda.create(name, tagged).repeatEvery(cron, { timezone: timeZone, skipImmediate: true });
  try {
    await job.save();
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err; // unique_violation: another process scheduled the key just now
  }
}

/** Flat job data as comparable text, whatever order the store returns its keys in (jsonb reorders them). */
function canonical(data: unknown): string {
  return JSON.stringify(Object.entries((data ?? {}) as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
}
