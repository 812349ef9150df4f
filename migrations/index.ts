import { Migration20261125000100_identity } from './Migration20261125000100_identity.js';
import { Migration20261125000110_scheduler } from './Migration20261125000110_scheduler.js';
import { Migration20261125000200_catalog } from './Migration20261125000200_catalog.js';
import { Migration20261125000300_dish_addons } from './Migration20261125000300_dish_addons.js';
import { Migration20261125000400_orders } from './Migration20261125000400_orders.js';
import { Migration20261202000100_outbox } from './Migration20261202000100_outbox.js';
import { Migration20261202000200_idempotency_outcome } from './Migration20261202000200_idempotency_outcome.js';
import { Migration20261203000100_security } from './Migration20261203000100_security.js';

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
];
