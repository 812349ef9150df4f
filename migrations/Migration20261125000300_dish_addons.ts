import { Migration } from '@mikro-orm/migrations';

/** Which add-ons (products of kind addon) may be ordered with which dishes. */
export class Migration20261125000300_dish_addons extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table dish_addons (
        dish_id uuid not null references products (id) on delete cascade,
        addon_id uuid not null references products (id) on delete cascade,
        primary key (dish_id, addon_id)
      )`);
    this.addSql(`create index dish_addons_addon_idx on dish_addons (addon_id)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists dish_addons`);
  }
}
