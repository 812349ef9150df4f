import { useWorld, type World } from './world.js';

/**
 * The usual world of a commerce test file: its own database and Redis prefix, one started instance
 * (role `all`), a merchant and an HTTP client for it. Registers the file's hooks; read the fields inside tests.
 */
export function useShop(): World {
  return useWorld({ merchant: true });
}
