import { Migration } from '@mikro-orm/migrations';

/**
 * Daily meal sets: one per locality and date (the unique constraint is what makes two admins racing
 * safe), up to five dishes. Orders remember the set they were placed from, so the reminder can find
 * who has not ordered. Agenda schedules that carry a `scheduleKey` (a locality's daily reminder) are
 * unique per key, so two workers scheduling the same locality at once leave one schedule.
 */
export class Migration20261203003200_meal_sets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table meal_sets (
        id uuid primary key,
        locality text not null references localities (slug) on update cascade,
        date date not null,
        created_by uuid references users (id) on delete set null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint meal_sets_locality_date_key unique (locality, date)
      )`);
    this.addSql(`
      create table meal_set_dishes (
        meal_set_id uuid not null references meal_sets (id) on delete cascade,
        product_id uuid not null references products (id),
        position int not null check (position between 0 and 4),
        primary key (meal_set_id, product_id)
      )`);
    this.addSql(`create index meal_set_dishes_product_idx on meal_set_dishes (product_id)`);
    this.addSql(`alter table orders add column meal_set_id uuid references meal_sets (id)`);
    this.addSql(`create index orders_meal_set_customer_idx on orders (meal_set_id, customer_id) where meal_set_id is not null`);
    this.addSql(`create unique index agenda_jobs_schedule_key_idx on agenda_jobs (name, (data->>'scheduleKey')) where (data->>'scheduleKey') is not null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists agenda_jobs_schedule_key_idx`);
    this.addSql(`alter table orders drop column if exists meal_set_id`);
    this.addSql(`drop table if exists meal_set_dishes, meal_sets`);
  }
}
