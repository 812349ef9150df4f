import { Migration } from '@mikro-orm/migrations';

/**
 * Localities as data, referenced by users (customers' delivery area, drivers' pool). `users.locality`
 * was free text: each distinct value becomes a locality (slugged, UTC, default times an admin can
 * change) and the column then holds that slug under a foreign key. Delivery's driver pool already
 * compared localities lower-cased, so slugs keep it working.
 */
export class Migration20261203003000_localities extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table localities (
        slug text primary key check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) <= 64),
        name text not null check (char_length(name) between 1 and 100),
        time_zone text not null,
        order_cutoff text not null check (order_cutoff ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        reminder_at text not null check (reminder_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (reminder_at < order_cutoff)
      )`);
    this.addSql(`
      update users set locality = nullif(trim(both '-' from regexp_replace(lower(trim(locality)), '[^a-z0-9]+', '-', 'g')), '')
      where locality is not null`);
    this.addSql(`
      insert into localities (slug, name, time_zone, order_cutoff, reminder_at)
      select distinct left(locality, 64), left(locality, 100), 'UTC', '11:00', '10:00' from users where locality is not null
      on conflict do nothing`);
    this.addSql(`update users set locality = left(locality, 64) where char_length(locality) > 64`);
    this.addSql(`alter table users add constraint users_locality_fkey foreign key (locality) references localities (slug) on update cascade`);
    // The reminder walks a locality's customers in id order, a batch at a time.
    this.addSql(`create index users_locality_customers_idx on users (locality, id) where role = 'customer'`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists users_locality_customers_idx`);
    this.addSql(`alter table users drop constraint if exists users_locality_fkey`);
    this.addSql(`drop table if exists localities`);
  }
}
