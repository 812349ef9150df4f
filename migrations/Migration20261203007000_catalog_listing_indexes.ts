import { Migration } from '@mikro-orm/migrations';

/**
 * A category listing sorted by name or price walked the whole-catalog (search_name, id) or
 * (price_cents, id) index and dropped the other categories' rows: on 1M products a small category
 * read thousands of rows for one page (4–14 ms). With the category in front, a page reads its 21 rows.
 */
export class Migration20261203007000_catalog_listing_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index products_category_name on products (category, search_name, id)`);
    this.addSql(`create index products_category_price on products (category, price_cents, id)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists products_category_name`);
    this.addSql(`drop index if exists products_category_price`);
  }
}
