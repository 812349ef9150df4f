import { Migration } from '@mikro-orm/migrations';

/**
 * order_items.product_id references products without an index: every product a purge (DELETE
 * /products?confirm=all) or a merchant's deletion removes made PostgreSQL check that foreign key by
 * scanning all order items. With the index it is one probe per product.
 */
export class Migration20261203001500_order_items_product extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index order_items_product_idx on order_items (product_id)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index order_items_product_idx`);
  }
}
