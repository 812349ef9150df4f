import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks (domain/webhooks): endpoints, one message per event and endpoint (its id is the
 * `webhook-id` every retry repeats), and one row per delivery attempt (the delivery log).
 */
export class Migration20261203001100_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table webhook_endpoints (
        id uuid primary key,
        merchant_id uuid not null references users (id) on delete cascade,
        url text not null check (char_length(url) <= 2048),
        events text[] not null,
        secret text not null,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        enabled boolean not null default true,
        disabled_reason text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`create index webhook_endpoints_merchant_idx on webhook_endpoints (merchant_id, created_at, id)`);

    this.addSql(`
      create table webhook_messages (
        id text primary key,
        endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
        event_id uuid,
        type text not null,
        -- The exact bytes signed and sent: every retry sends (and signs) the same body.
        body text not null,
        created_at timestamptz not null default now()
      )`);
    // A redelivered outbox event makes no second message for the same endpoint.
    this.addSql(`create unique index webhook_messages_event_idx on webhook_messages (endpoint_id, event_id) where event_id is not null`);

    this.addSql(`
      create table webhook_attempts (
        id uuid primary key,
        message_id text not null references webhook_messages (id) on delete cascade,
        endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
        attempt int not null check (attempt >= 1),
        -- A replay asked by hand (retry, test ping): no automatic retries, never disables the endpoint.
        manual boolean not null default false,
        status text not null default 'pending' check (status in ('pending', 'sending', 'succeeded', 'failed', 'skipped')),
        due_at timestamptz not null,
        started_at timestamptz,
        finished_at timestamptz,
        response_status int,
        duration_ms int,
        error text,
        next_attempt_at timestamptz,
        created_at timestamptz not null default now()
      )`);
    // The delivery log, newest first per endpoint (keyset on created_at, id).
    this.addSql(`create index webhook_attempts_endpoint_idx on webhook_attempts (endpoint_id, created_at desc, id desc)`);
    // The sweeper re-enqueues attempts whose job was lost (enqueue failed, worker died mid-send).
    this.addSql(`create index webhook_attempts_open_idx on webhook_attempts (due_at) where status in ('pending', 'sending')`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists webhook_attempts`);
    this.addSql(`drop table if exists webhook_messages`);
    this.addSql(`drop table if exists webhook_endpoints`);
  }
}
