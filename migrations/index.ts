import { Migration20261125000100_identity } from './Migration20261125000100_identity.js';
import { Migration20261125000110_scheduler } from './Migration20261125000110_scheduler.js';
import { Migration20261125000200_catalog } from './Migration20261125000200_catalog.js';
import { Migration20261125000300_dish_addons } from './Migration20261125000300_dish_addons.js';
import { Migration20261125000400_orders } from './Migration20261125000400_orders.js';
import { Migration20261202000100_outbox } from './Migration20261202000100_outbox.js';
import { Migration20261202000200_idempotency_outcome } from './Migration20261202000200_idempotency_outcome.js';
import { Migration20261203000100_security } from './Migration20261203000100_security.js';
import { Migration20261203002000_diary } from './Migration20261203002000_diary.js';
import { Migration20261203002100_community } from './Migration20261203002100_community.js';
import { Migration20261203003000_localities } from './Migration20261203003000_localities.js';
import { Migration20261203003100_restaurants } from './Migration20261203003100_restaurants.js';
import { Migration20261203003200_meal_sets } from './Migration20261203003200_meal_sets.js';
import { Migration20261203003300_notifications } from './Migration20261203003300_notifications.js';
import { Migration20261203004000_analytics } from './Migration20261203004000_analytics.js';
import { Migration20261203005000_pos_run_interrupted } from './Migration20261203005000_pos_run_interrupted.js';
import { Migration20261203005010_day_item_rollup } from './Migration20261203005010_day_item_rollup.js';
import { Migration20261203001000_imports } from './Migration20261203001000_imports.js';
import { Migration20261203001100_webhooks } from './Migration20261203001100_webhooks.js';
import { Migration20261203001500_order_items_product } from './Migration20261203001500_order_items_product.js';
import { Migration20261203007000_catalog_listing_indexes } from './Migration20261203007000_catalog_listing_indexes.js';
import { Migration20261203012000_search_postings } from './Migration20261203012000_search_postings.js';

/** Every migration in order; listed explicitly so tsx, jest and the built JS load the same set. */
export const migrationsList = [
  { name: 'Migration20261125000100_identity', class: Migration20261125000100_identity },
  { name: 'Migration20261125000110_scheduler', class: Migration20261125000110_scheduler },
  { name: 'Migration20261125000200_catalog', class: Migration20261125000200_catalog },
  { name: 'Migration20261125000300_dish_addons', class: Migration20261125000300_dish_addons },
  { name: 'Migration20261125000400_orders', class: Migration20261125000400_orders },
  { name: 'Migration20261202000100_outbox', class: Migration20261202000100_outbox },
  { name: 'Migration20261202000200_idempotency_outcome', class: Migration20261202000200_idempotency_outcome },
  { name: 'Migration20261203000100_security', class: Migration20261203000100_security },
  { name: 'Migration20261203002000_diary', class: Migration20261203002000_diary },
  { name: 'Migration20261203002100_community', class: Migration20261203002100_community },
  { name: 'Migration20261203003000_localities', class: Migration20261203003000_localities },
  { name: 'Migration20261203003100_restaurants', class: Migration20261203003100_restaurants },
  { name: 'Migration20261203003200_meal_sets', class: Migration20261203003200_meal_sets },
  { name: 'Migration20261203003300_notifications', class: Migration20261203003300_notifications },
  { name: 'Migration20261203004000_analytics', class: Migration20261203004000_analytics },
  { name: 'Migration20261203005000_pos_run_interrupted', class: Migration20261203005000_pos_run_interrupted },
  { name: 'Migration20261203005010_day_item_rollup', class: Migration20261203005010_day_item_rollup },
  { name: 'Migration20261203001000_imports', class: Migration20261203001000_imports },
  { name: 'Migration20261203001100_webhooks', class: Migration20261203001100_webhooks },
  { name: 'Migration20261203001500_order_items_product', class: Migration20261203001500_order_items_product },
  { name: 'Migration20261203007000_catalog_listing_indexes', class: Migration20261203007000_catalog_listing_indexes },
  { name: 'Migration20261203012000_search_postings', class: Migration20261203012000_search_postings },
];
