import { Migration } from '@mikro-orm/migrations';

/**
 * The food diary (domain/diary). Items and totals are JSON: they are always read and written with
 * their entry, and hold the nutrition as it was when written. Offline sync reads changes per user in
 * `change_seq` order: every write first bumps the user's row in `diary_sync_heads` (which also
 * serialises one user's writes, so their sequence numbers commit in order and a sync never skips one),
 * and a purged entry leaves a tombstone with its own sequence number.
 */
export class Migration20261203002000_diary extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table diary_sync_heads (
        user_id uuid primary key references users (id) on delete cascade,
        seq bigint not null
      )`);
    this.addSql(`
      create table diary_entries (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        client_id uuid not null,
        date date not null,
        meal text not null check (meal in ('breakfast', 'lunch', 'dinner', 'snack')),
        items jsonb not null,
        totals jsonb not null,
        note text not null default '' check (length(note) <= 2000),
        photo_key text,
        photo_type text,
        thumbnail_key text,
        version int not null default 1,
        change_seq bigint not null,
        deleted_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (user_id, client_id)
      )`);
    // The diary listing, newest day first, keyset on (date, created_at, id); trash apart.
    this.addSql(`create index diary_entries_listing_idx on diary_entries (user_id, date desc, created_at desc, id desc) where deleted_at is null`);
    this.addSql(`create index diary_entries_trash_idx on diary_entries (user_id, deleted_at desc, id desc) where deleted_at is not null`);
    // The purge job's scan: only trashed rows, oldest first.
    this.addSql(`create index diary_entries_purge_idx on diary_entries (deleted_at) where deleted_at is not null`);
    this.addSql(`create index diary_entries_changes_idx on diary_entries (user_id, change_seq)`);
    this.addSql(`
      create table diary_tombstones (
        user_id uuid not null references users (id) on delete cascade,
        change_seq bigint not null,
        entry_id uuid not null,
        client_id uuid not null,
        purged_at timestamptz not null,
        primary key (user_id, change_seq)
      )`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists diary_tombstones, diary_entries, diary_sync_heads`);
  }
}
