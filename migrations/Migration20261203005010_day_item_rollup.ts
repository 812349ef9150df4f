import { Migration } from '@mikro-orm/migrations';

/**
 * Per-merchant daily rollups of transaction lines (days in the merchant's time zone): by item, by hour
 * of the orders, and the baskets behind pairs, so a menu analysis and a simulation history read days ×
 * items (hours, pairs) instead of every line. Imports and POS syncs mark
 * the days they touch dirty in the same transaction; readers refresh dirty days first (or everything,
 * when the merchant's time zone is not the one the rollup was built in).
 */
export class Migration20261203005010_day_item_rollup extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table analytics_day_items (
        merchant_id uuid not null,
        day date not null,
        item_id int not null,
        units double precision not null,
        revenue double precision not null,
        known_cost double precision,
        units_without_cost double precision,
        revenue_without_cost double precision,
        primary key (merchant_id, day, item_id)
      )`);
    // Orders by local day and the hour of their first line (an order's lines on another day count there).
    this.addSql(`
      create table analytics_day_hours (
        merchant_id uuid not null,
        day date not null,
        hour smallint not null,
        orders int not null,
        units double precision not null,
        revenue double precision not null,
        primary key (merchant_id, day, hour)
      )`);
    // Orders of two or more distinct items (returns left out) per day: their count, per item, per pair (a < b).
    this.addSql(`create table analytics_day_baskets (merchant_id uuid not null, day date not null, orders int not null, primary key (merchant_id, day))`);
    this.addSql(`
      create table analytics_day_basket_items (
        merchant_id uuid not null, day date not null, item_id int not null, orders int not null, primary key (merchant_id, day, item_id)
      )`);
    this.addSql(`
      create table analytics_day_pairs (
        merchant_id uuid not null, day date not null, a int not null, b int not null, orders int not null, primary key (merchant_id, day, a, b)
      )`);
    this.addSql(`
      create table analytics_rollup_state (
        merchant_id uuid primary key,
        time_zone text not null,
        built_at timestamptz not null default now()
      )`);
    // Dirty days of a merchant, in the zone of the rollup; `marked_at` is rewritten by every marking
    // transaction so it holds the row until it commits (a refresh cannot clear a day under it).
    this.addSql(`
      create table analytics_dirty_days (
        merchant_id uuid not null,
        day date not null,
        marked_at timestamptz not null default now(),
        primary key (merchant_id, day)
      )`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists analytics_dirty_days`);
    this.addSql(`drop table if exists analytics_rollup_state`);
    this.addSql(`drop table if exists analytics_day_pairs`);
    this.addSql(`drop table if exists analytics_day_basket_items`);
    this.addSql(`drop table if exists analytics_day_baskets`);
    this.addSql(`drop table if exists analytics_day_hours`);
    this.addSql(`drop table if exists analytics_day_items`);
  }
}
