import { Migration20261125000100_identity } from './Migration20261125000100_identity.js';
import { Migration20261125000110_scheduler } from './Migration20261125000110_scheduler.js';
import { Migration20261125000200_catalog } from './Migration20261125000200_catalog.js';

/** Every migration in order; listed explicitly so tsx, jest and the built JS load the same set. */
export const migrationsList = [
  { name: 'Migration20261125000100_identity', class: Migration20261125000100_identity },
  { name: 'Migration20261125000110_scheduler', class: Migration20261125000110_scheduler },
  { name: 'Migration20261125000200_catalog', class: Migration20261125000200_catalog },
];
