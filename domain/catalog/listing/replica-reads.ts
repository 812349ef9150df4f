import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { catalogKeys, WRITER_MARK_SECONDS } from '../redis-keys.js';

type Connection = ReturnType<EntityManager['getConnection']>;

/**
 * Which connection serves a listing. Listings and search read a replica, except for a user who has
 * just changed products: their write's WAL position (the primary's `pg_current_wal_lsn()` after the
 * commit) is kept under their id in Redis (shared by every instance) for WRITER_MARK_SECONDS, and
 * their listings read the replica only once it has replayed that far, the primary until then
 * (read-your-writes whatever the lag). Without replicas it does nothing.
 */
export class ReplicaReads {
  constructor(
    private readonly em: EntityManager,
    private readonly redis: Redis,
    private readonly log: Logger,
  ) {}

  /** After `userId`'s committed product change: remember how far the primary's WAL had got. */
  async wrote(userId: string): Promise<void> {
    if (!this.hasReplicas()) return;
    try {
      const [row] = await this.em.getConnection('write').execute<Array<{ lsn: string }>>('select pg_current_wal_lsn()::text as lsn');
      await this.redis.set(catalogKeys.wroteAt(userId), row.lsn, 'EX', WRITER_MARK_SECONDS);
    } catch (err) {
      // The write itself has committed; without the mark the writer may see a lagging replica briefly.
      this.log.warn({ err: (err as Error).message, userId }, 'could not mark a writer for read-your-writes');
    }
  }

  /** The connection for `userId`'s listing: a replica unless it has not yet replayed their last write. */
  async connection(userId: string | undefined): Promise<Connection> {
    const read = this.em.getConnection('read');
    if (!userId || !this.hasReplicas()) return read;
    try {
      const lsn = await this.redis.get(catalogKeys.wroteAt(userId));
      if (!lsn) return read;
      // null replay position: the "replica" is not a standby (nothing to wait for).
      const [row] = await read.execute<Array<{ fresh: boolean }>>('select coalesce(pg_last_wal_replay_lsn() >= ?::pg_lsn, true) as fresh', [lsn]);
      return row.fresh ? read : this.em.getConnection('write');
    } catch {
      return this.em.getConnection('write'); // unsure: the primary is always fresh
    }
  }

  private hasReplicas(): boolean {
    return this.em.getConnection('read') !== this.em.getConnection('write');
  }
}
