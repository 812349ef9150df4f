import type { UserOutput } from './identity.schemas.js';
import type { User } from './user.entity.js';

/** The public view of a user: never the password hash or the health profile. */
export function toUserOutput(user: User): UserOutput {
  return {
    id: user.id,
    email: user.email ?? null,
    phone: user.phone ?? null,
    name: user.name,
    role: user.role,
    locality: user.locality ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}
