import { Migration } from '@mikro-orm/migrations';

/** How many hash partitions the transaction lines are spread over (by merchant). */
const TRANSACTION_PARTITIONS = 16;

/**
 * Menu analytics (domain/analytics): per-merchant settings, the item dictionary, POS transaction lines
 * (hash-partitioned by merchant, unique per merchant + source + source line id), POS connections with
 * their sync checkpoint and run log, and Monte Carlo simulations with their stored results.
 */
export class Migration20261203004000_analytics extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table analytics_settings (
        merchant_id uuid primary key references users (id) on delete cascade,
        time_zone text not null default 'UTC',
        food_cost_pct numeric(5, 2) not null default 30 check (food_cost_pct >= 0 and food_cost_pct <= 100),
        updated_at timestamptz not null default now()
      )`);

    // Lines point at items by a 4-byte id: ten million lines per merchant stay narrow and group fast.
    this.addSql(`
      create table analytics_items (
        id int generated always as identity primary key,
        merchant_id uuid not null references users (id) on delete cascade,
        name text not null check (length(name) between 1 and 200),
        category text,
        code text,
        price_cents int check (price_cents >= 0),
        unit_cost_cents int check (unit_cost_cents >= 0),
        product_id uuid,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (merchant_id, name)
      )`);
    this.addSql(`create unique index analytics_items_code_idx on analytics_items (merchant_id, code) where code is not null`);

    // Fixed-width columns first (no alignment padding). No foreign keys: each would cost a look-up per
    // imported line; lines are removed with their merchant by the analytics module itself.
    this.addSql(`
      create table analytics_transactions (
        merchant_id uuid not null,
        closed_at timestamptz not null,
        quantity double precision not null,
        item_id int not null,
        unit_price_cents int not null,
        unit_cost_cents int,
        source text not null check (source in ('csv', 'square')),
        source_line_id text not null,
        order_id text not null,
        modifiers jsonb,
        primary key (merchant_id, source, source_line_id)
      ) partition by hash (merchant_id)`);
    for (let i = 0; i < TRANSACTION_PARTITIONS; i++) {
      this.addSql(
        `create table analytics_transactions_p${i} partition of analytics_transactions for values with (modulus ${TRANSACTION_PARTITIONS}, remainder ${i})`,
      );
    }
    // Every analysis reads one merchant's period.
    this.addSql(`create index analytics_transactions_period_idx on analytics_transactions (merchant_id, closed_at)`);

    this.addSql(`
      create table analytics_pos_connections (
        id uuid primary key,
        merchant_id uuid not null unique references users (id) on delete cascade,
        provider text not null check (provider in ('square')),
        location_id text not null,
        base_url text not null,
        token_ciphertext text not null,
        status text not null default 'ok' check (status in ('ok', 'failing', 'needs_reauth')),
        next_run_at timestamptz not null,
        last_success_at timestamptz,
        last_error text,
        last_error_at timestamptz,
        consecutive_failures int not null default 0,
        checkpoint_closed_at timestamptz not null,
        window_end_at timestamptz,
        cursor text,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`create index analytics_pos_connections_due_idx on analytics_pos_connections (next_run_at)`);

    this.addSql(`
      create table analytics_pos_sync_runs (
        id uuid primary key,
        connection_id uuid not null references analytics_pos_connections (id) on delete cascade,
        trigger text not null check (trigger in ('schedule', 'manual', 'retry')),
        outcome text not null check (outcome in ('running', 'ok', 'failed', 'superseded')),
        pages int not null default 0,
        lines int not null default 0,
        reason text,
        error text,
        started_at timestamptz not null,
        finished_at timestamptz
      )`);
    this.addSql(`create index analytics_pos_sync_runs_connection_idx on analytics_pos_sync_runs (connection_id, started_at desc)`);

    this.addSql(`
      create table analytics_simulations (
        id uuid primary key,
        merchant_id uuid not null references users (id) on delete cascade,
        status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed', 'cancelled')),
        request jsonb not null,
        seed bigint not null,
        runs int not null check (runs > 0),
        runs_done int not null default 0,
        result jsonb,
        error text,
        created_at timestamptz not null default now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    this.addSql(`create index analytics_simulations_merchant_idx on analytics_simulations (merchant_id, created_at desc)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists analytics_simulations`);
    this.addSql(`drop table if exists analytics_pos_sync_runs`);
    this.addSql(`drop table if exists analytics_pos_connections`);
    this.addSql(`drop table if exists analytics_transactions`);
    this.addSql(`drop table if exists analytics_items`);
    this.addSql(`drop table if exists analytics_settings`);
  }
}
