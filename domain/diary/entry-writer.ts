import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProductNutrition } from '../catalog/index.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { CreateEntryInput, EntryView, UpdateEntryInput } from './diary.schemas.js';
import { BUMP_HEAD, ENTRY_COLUMNS, type EntryRow } from './entry-row.js';
import { TRASH_RETENTION_DAYS, type EntryViews } from './entry-views.js';
import { productIdsOf, resolveItems, sumNutrition } from './nutrition.js';

export interface EntryWriterDeps {
  em: EntityManager;
  clock: Clock;
  nutrition: Pick<ProductNutrition, 'find'>;
  views: EntryViews;
}

/** A create's answer: the entry, and whether it was made now (201) or already stored under that clientId (200). */
export interface SavedEntry {
  entry: EntryView;
  created: boolean;
}

// Every write below is one statement (atomic on its own, and no write emits an event), so none pays
// for a unit of work's BEGIN, COMMIT and forked entity manager.
// One statement: bump the user's change number (serialising the user's writes) and insert, unless
// the clientId is already stored. Ten double-clicks at once queue on the head row; the first inserts.
const INSERT = `with head as (${BUMP_HEAD})
  insert into diary_entries (id, user_id, client_id, date, meal, items, totals, note, version, change_seq, created_at, updated_at)
  select ?, ?, ?, ?, ?, ?, ?, ?, 1, head.seq, ?, ? from head
  on conflict (user_id, client_id) do nothing
  returning ${ENTRY_COLUMNS}`;

const UPDATE = `with head as (${BUMP_HEAD})
  update diary_entries set date = ?, meal = ?, items = ?, totals = ?, note = ?, version = version + 1, change_seq = head.seq, updated_at = ?
  from head where id = ? and user_id = ? and version = ? and deleted_at is null
  returning ${ENTRY_COLUMNS}`;

const DAY_MS = 24 * 3600_000;

/**
 * Creates and edits diary entries. Nutrition is summed in the request (no queue): product items read
 * the catalog's values per 100 g, scaled and stored with the entry. Create is idempotent on the
 * client's id; updates are optimistic on `version`; delete moves to the trash for 30 days.
 */
export class EntryWriter {
  constructor(private readonly d: EntryWriterDeps) {}

  async create(userId: string, input: CreateEntryInput): Promise<SavedEntry> {
    const items = resolveItems(input.items, await this.d.nutrition.find(productIdsOf(input.items)));
    const now = this.d.clock.now();
    const [inserted] = await this.d.em.execute<EntryRow[]>(INSERT, [
      userId,
      randomUUID(),
      userId,
      input.clientId,
      input.date,
      input.meal,
      JSON.stringify(items),
      JSON.stringify(sumNutrition(items.map((i) => i.nutrition))),
      input.note,
      now,
      now,
    ]);
    if (inserted) return { entry: await this.d.views.view(inserted), created: true };
    const [stored] = await this.d.em.execute<EntryRow[]>(`select ${ENTRY_COLUMNS} from diary_entries where user_id = ? and client_id = ?`, [
      userId,
      input.clientId,
    ]);
    return { entry: await this.d.views.view(stored), created: false };
  }

  /** Replaces the entry's fields if `version` is current; 409 VERSION_CONFLICT carries the current entry otherwise. */
  async update(userId: string, entryId: string, input: UpdateEntryInput): Promise<EntryView> {
    const items = resolveItems(input.items, await this.d.nutrition.find(productIdsOf(input.items)));
    const totals = sumNutrition(items.map((i) => i.nutrition));
    const [updated] = await this.d.em.execute<EntryRow[]>(UPDATE, [
      userId,
      input.date,
      input.meal,
      JSON.stringify(items),
      JSON.stringify(totals),
      input.note,
      this.d.clock.now(),
      entryId,
      userId,
      input.version,
    ]);
    if (updated) return this.d.views.view(updated);
    const current = await this.find(userId, entryId);
    if (current.deleted_at) throw new AppError('CONFLICT', 'The entry is in the trash; restore it first', { entry: await this.d.views.view(current) });
    throw new AppError('VERSION_CONFLICT', `The entry is at version ${current.version}, not ${input.version}`, { entry: await this.d.views.view(current) });
  }

  /** Moves the entry to the trash (deleting a trashed entry again changes nothing). */
  async trash(userId: string, entryId: string): Promise<void> {
    await this.find(userId, entryId);
    await this.d.em.execute(
      `with head as (${BUMP_HEAD})
       update diary_entries set deleted_at = ?, change_seq = head.seq, updated_at = ? from head
       where id = ? and user_id = ? and deleted_at is null`,
      [userId, this.d.clock.now(), this.d.clock.now(), entryId, userId],
    );
  }

  /** Takes the entry out of the trash while it is younger than 30 days. */
  async restore(userId: string, entryId: string): Promise<EntryView> {
    const now = this.d.clock.now();
    const [restored] = await this.d.em.execute<EntryRow[]>(
      `with head as (${BUMP_HEAD})
       update diary_entries e set deleted_at = null, change_seq = head.seq, updated_at = ? from head
       where e.id = ? and e.user_id = ? and e.deleted_at is not null and e.deleted_at >= ?
       returning e.id`,
      [userId, now, entryId, userId, new Date(now.getTime() - TRASH_RETENTION_DAYS * DAY_MS)],
    );
    const current = await this.find(userId, entryId);
    if (!restored && current.deleted_at) throw new AppError('CONFLICT', `Entries can be restored for ${TRASH_RETENTION_DAYS} days after deletion`);
    return this.d.views.view(current);
  }

  /** The caller's entry (trashed or not); NOT_FOUND for anyone else's, so ids reveal nothing. */
  async find(userId: string, entryId: string): Promise<EntryRow> {
    const [row] = await this.d.em.execute<EntryRow[]>(`select ${ENTRY_COLUMNS} from diary_entries where id = ? and user_id = ?`, [entryId, userId]);
    if (!row) throw new AppError('NOT_FOUND', 'No such diary entry');
    return row;
  }
}
