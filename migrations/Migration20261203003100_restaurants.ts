import { Migration } from '@mikro-orm/migrations';

/** Restaurants (merchant-owned, in a locality); a dish or add-on product may belong to one. */
export class Migration20261203003100_restaurants extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table restaurants (
        id uuid primary key,
        merchant_id uuid not null references users (id) on delete cascade,
        name text not null check (char_length(name) between 1 and 200),
        locality text not null references localities (slug) on update cascade,
        address jsonb,
        opening_hours jsonb not null default '[]',
        time_zone text not null,
        active boolean not null default true,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`create index restaurants_merchant_idx on restaurants (merchant_id, created_at, id)`);
    this.addSql(`create index restaurants_locality_idx on restaurants (locality, created_at, id)`);
    this.addSql(`alter table products add column restaurant_id uuid references restaurants (id) on delete restrict`);
    this.addSql(`create index products_restaurant_idx on products (restaurant_id) where restaurant_id is not null`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table products drop column if exists restaurant_id`);
    this.addSql(`drop table if exists restaurants`);
  }
}
