import type { Container } from './container.js';
import { ensureAdminAccount } from '../domain/identity/admin-bootstrap.js';

/** Start-up work that must happen before serving: one line per module (e.g. the admin account). */
export async function bootstrap(container: Container): Promise<void> {
  await ensureAdminAccount(container.deps, container.services.identity.hasher);
}
