import { randomUUID } from 'node:crypto';
import type { ModuleDeps } from '../shared/module-deps.js';
import type { PasswordHasher } from './password-hasher.js';
import { RefreshToken } from './refresh-token.entity.js';
import { User } from './user.entity.js';

/**
 * Makes sure the ADMIN_EMAIL account exists and is an admin. Safe when several instances start at
 * once: one upsert decides. An existing non-admin account with that e-mail is promoted, and its
 * password is replaced by ADMIN_PASSWORD and its sessions revoked: whoever registered the address
 * first must not walk into admin rights with a password the operator never chose.
 */
export async function ensureAdminAccount(
  deps: Pick<ModuleDeps, 'em' | 'clock' | 'log'>,
  hasher: PasswordHasher,
  admin: { email: string; password: string } | undefined,
): Promise<void> {
  if (!admin) return;
  const email = admin.email.trim().toLowerCase();
  const em = deps.em.fork();
  if ((await em.findOne(User, { email }))?.role === 'admin') return;
  const passwordHash = await hasher.hash(admin.password);
  const now = deps.clock.now();
  const outcome = await em.transactional(async (tx) => {
    const rows = await tx.execute<Array<{ id: string; inserted: boolean }>>(
      `insert into users (id, email, password_hash, name, role, created_at, updated_at) values (?, ?, ?, 'Administrator', 'admin', ?, ?)
       on conflict (email) where email is not null do update
         set role = 'admin', password_hash = excluded.password_hash, updated_at = excluded.updated_at
         where users.role <> 'admin'
       returning id, (xmax = 0) as inserted`,
      [randomUUID(), email, passwordHash, now, now],
      'all',
    );
    const row = rows[0];
    if (row && !row.inserted) await tx.nativeUpdate(RefreshToken, { userId: row.id, revokedAt: null }, { revokedAt: now });
    return row ? (row.inserted ? 'created' : 'promoted') : 'already admin';
  });
  deps.log.info({ outcome }, 'admin account ensured');
}
