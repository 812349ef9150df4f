import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../../domain/identity/index.js';
import type { Role } from '../../domain/shared/actor.js';
import type { Larder } from '../../server/app/larder.js';

export interface TestUser {
  id: string;
  role: Role;
  email: string;
  token: string;
}

let counter = 0;

/**
 * Inserts a user straight into the database and signs an access token for it: fast setup for tests
 * of other modules (identity tests go through the real endpoints instead).
 */
export async function createUser(
  app: Larder,
  role: Role = 'customer',
  extra: Partial<Pick<User, 'locality' | 'name' | 'healthProfile'>> = {},
): Promise<TestUser> {
  const em = app.container.orm.em.fork() as EntityManager;
  const email = `${role}-${process.pid}-${++counter}-${Date.now()}@test.larder`;
  const user = em.create(User, { email, role, name: extra.name ?? `${role} ${counter}`, ...extra });
  await em.flush();
  const { token } = await app.container.modules.identity.tokens.sign(user.id, role);
  return { id: user.id, role, email, token };
}
