import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000400_orders extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table orders (
        id uuid primary key,
        customer_id uuid not null references users (id),
        status text not null default 'placed'
          check (status in ('placed', 'confirmed', 'preparing', 'ready', 'out_for_delivery', 'delivered', 'cancelled')),
        total_cents bigint not null check (total_cents >= 0),
        currency char(3) not null,
        delivery_address jsonb,
        locality text,
        driver_id uuid references users (id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    // History listings: newest first per audience, keyset on (created_at, id).
    this.addSql(`create index orders_customer_listing_idx on orders (customer_id, created_at desc, id desc)`);
    this.addSql(`create index orders_driver_listing_idx on orders (driver_id, created_at desc, id desc) where driver_id is not null`);
    this.addSql(`create index orders_listing_idx on orders (created_at desc, id desc)`);
    // The assignment job scans only orders waiting for a driver.
    this.addSql(`create index orders_awaiting_driver_idx on orders (created_at) where status = 'ready' and driver_id is null`);

    this.addSql(`
      create table order_items (
        id uuid primary key,
        order_id uuid not null references orders (id) on delete cascade,
        product_id uuid not null references products (id),
        merchant_id uuid not null,
        parent_item_id uuid references order_items (id),
        name text not null,
        quantity int not null check (quantity > 0),
        unit_price_cents int not null check (unit_price_cents >= 0),
        position int not null
      )`);
    this.addSql(`create index order_items_order_idx on order_items (order_id, position)`);

    // Which merchants an order involves, with its date, so a merchant's history is one index range.
    this.addSql(`
      create table order_merchants (
        merchant_id uuid not null,
        order_id uuid not null references orders (id) on delete cascade,
        created_at timestamptz not null,
        primary key (merchant_id, order_id)
      )`);
    this.addSql(`create index order_merchants_listing_idx on order_merchants (merchant_id, created_at desc, order_id desc)`);

    this.addSql(`
      create table order_status_changes (
        id uuid primary key,
        order_id uuid not null references orders (id) on delete cascade,
        status text not null,
        at timestamptz not null,
        by_user_id uuid,
        by_role text
      )`);
    this.addSql(`create index order_status_changes_order_idx on order_status_changes (order_id, at)`);

    // Idempotency-Key records: the first request's outcome, replayed for the same key and body.
    this.addSql(`
      create table idempotency_keys (
        user_id uuid not null,
        key text not null,
        request_hash text not null,
        status_code int not null,
        response jsonb not null,
        created_at timestamptz not null default now(),
        primary key (user_id, key)
      )`);
    this.addSql(`create index idempotency_keys_created_idx on idempotency_keys (created_at)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists idempotency_keys, order_status_changes, order_merchants, order_items, orders`);
  }
}
