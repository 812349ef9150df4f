import { Migration } from '@mikro-orm/migrations';

/**
 * Bulk operations with live progress (domain/imports): CSV imports and merchant purges share one row
 * per operation, which is also the checkpoint a resumed run continues from (`batches_done` is written
 * in the transaction of the batch it counts). Staging tables are per import, unlogged, and created and
 * dropped by the import type (the catalog's for products), so they are not declared here.
 */
export class Migration20261203001000_imports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table imports (
        id uuid primary key,
        type text not null check (type ~ '^[a-z][a-z0-9-]*$'),
        merchant_id uuid not null references users (id) on delete cascade,
        created_by uuid not null,
        status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed', 'cancelled')),
        phase text not null default 'uploading' check (phase in ('uploading', 'parsing', 'writing', 'finishing')),
        options jsonb not null default '{}',
        spool_key text,
        bytes_total bigint check (bytes_total >= 0),
        bytes_read bigint not null default 0,
        bytes_parsed bigint not null default 0,
        rows_total int,
        rows_read int not null default 0,
        rows_upserted int not null default 0,
        rows_unchanged int not null default 0,
        rows_duplicate int not null default 0,
        rows_rejected int not null default 0,
        rows_deleted int not null default 0,
        batches_total int,
        batches_done int not null default 0,
        cancel_requested boolean not null default false,
        run_token uuid,
        error text,
        created_at timestamptz not null default now(),
        started_at timestamptz,
        finished_at timestamptz,
        heartbeat_at timestamptz not null default now()
      )`);
    this.addSql(`create index imports_merchant_idx on imports (merchant_id, created_at desc)`);
    // The sweeper looks only at operations still open.
    this.addSql(`create index imports_open_idx on imports (heartbeat_at) where status in ('queued', 'running')`);

    // Rejected rows with their spreadsheet row number (the header is row 1), streamed as CSV on request.
    this.addSql(`
      create table import_rejections (
        import_id uuid not null references imports (id) on delete cascade,
        row_no int not null,
        sku text,
        reason text not null,
        primary key (import_id, row_no)
      )`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists import_rejections`);
    this.addSql(`drop table if exists imports`);
  }
}
