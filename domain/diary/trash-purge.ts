import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { ObjectStorage } from '../shared/object-storage.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TRASH_RETENTION_DAYS } from './entry-views.js';

export interface TrashPurgeDeps {
  em: EntityManager;
  uow: UnitOfWork;
  clock: Clock;
  storage: ObjectStorage;
  log: Logger;
  /** Entries purged per transaction. */
  batchSize: number;
}

interface Doomed {
  id: string;
  client_id: string;
  photo_key: string | null;
  thumbnail_key: string | null;
}

const DAY_MS = 24 * 3600_000;
const USERS_PER_ROUND = 100;

/**
 * Deletes entries trashed more than 30 days ago, with their photos, leaving tombstones for offline
 * sync. One user's batch per transaction, under that user's sync head lock (the lock every diary
 * write takes first, so the order is the same and nothing deadlocks): a second worker running at the
 * same time waits for the user, then finds nothing left to purge.
 */
export class TrashPurge {
  constructor(private readonly d: TrashPurgeDeps) {}

  /** Purges everything due now; `touch` is called between batches (a job extends its lock). Returns how many. */
  async run(touch: () => Promise<void> = async () => {}): Promise<number> {
    const cutoff = new Date(this.d.clock.now().getTime() - TRASH_RETENTION_DAYS * DAY_MS);
    let total = 0;
    for (;;) {
      const users = await this.d.em.execute<Array<{ user_id: string }>>(`select distinct user_id from diary_entries where deleted_at < ? limit ?`, [
        cutoff,
        USERS_PER_ROUND,
      ]);
      let purged = 0;
      for (const { user_id } of users) {
        purged += await this.purgeBatch(user_id, cutoff);
        await touch();
      }
      total += purged;
      // Nothing purged this round: another worker is on these users and will finish them.
      if (users.length === 0 || purged === 0) return total;
    }
  }

  private async purgeBatch(userId: string, cutoff: Date): Promise<number> {
    return this.d.uow.run(async (tx, emit) => {
      const [head] = await tx.execute<Array<{ seq: string }>>(
        `insert into diary_sync_heads (user_id, seq) values (?, 0) on conflict (user_id) do update set seq = diary_sync_heads.seq returning seq`,
        [userId],
      );
      const doomed = await tx.execute<Doomed[]>(
        `select id, client_id, photo_key, thumbnail_key from diary_entries where user_id = ? and deleted_at < ? order by deleted_at limit ? for update`,
        [userId, cutoff, this.d.batchSize],
      );
      if (doomed.length === 0) return 0;
      // Photos go first: if the commit then fails, the entries are still due and the next run retries
      // (deleting a missing object is fine); a committed purge never leaves a photo behind.
      await this.d.storage.delete(doomed.flatMap((e) => [e.photo_key, e.thumbnail_key].filter((k): k is string => k !== null)));
      const ids = doomed.map((e) => e.id);
      await tx.execute(`delete from diary_entries where id in (?)`, [ids]);
      await tx.execute(
        `insert into diary_tombstones (user_id, change_seq, entry_id, client_id, purged_at)
         select ?, ?::bigint + t.ord, t.id, t.client_id, ? from unnest(array[?]::uuid[], array[?]::uuid[]) with ordinality as t(id, client_id, ord)`,
        [userId, head.seq, this.d.clock.now(), ids, doomed.map((e) => e.client_id)],
      );
      await tx.execute(`update diary_sync_heads set seq = seq + ? where user_id = ?`, [doomed.length, userId]);
      emit('diary.entries_purged', { userId, entryIds: ids });
      this.d.log.info({ userId, purged: doomed.length }, 'diary trash purged');
      return doomed.length;
    });
  }
}
