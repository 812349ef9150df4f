import { Migration } from '@mikro-orm/migrations';

/**
 * The transactional outbox (domain/shared/outbox.ts): durable domain events written in the transaction
 * that caused them, dispatched by workers with leases (`available_at`), pruned after dispatch.
 */
export class Migration20261202000100_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table outbox (
        seq bigint generated always as identity primary key,
        id uuid not null unique,
        name text not null,
        payload jsonb not null,
        occurred_at timestamptz not null,
        available_at timestamptz not null,
        attempts int not null default 0,
        last_error text,
        dispatched_at timestamptz,
        failed_at timestamptz
      )`);
    // The dispatcher's claim: pending events in order; the partial index stays as small as the backlog.
    this.addSql(`create index outbox_pending_idx on outbox (seq) where dispatched_at is null and failed_at is null`);
    this.addSql(`create index outbox_dispatched_idx on outbox (dispatched_at) where dispatched_at is not null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists outbox`);
  }
}
