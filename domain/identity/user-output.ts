import type { UserOutput } from './identity.schemas.js';
import type { User } from './user.entity.js';

/** What a session needs to know about its user (an entity, or a row read on the login hot path). */
export type SessionUser = Pick<User, 'id' | 'email' | 'phone' | 'phoneVerified' | 'name' | 'role' | 'locality' | 'createdAt'>;

/** The public view of a user: never the password hash or the health profile. */
export function toUserOutput(user: SessionUser): UserOutput {
  return {
    id: user.id,
    email: user.email ?? null,
    phone: user.phone ?? null,
    phoneVerified: !!user.phone && user.phoneVerified,
    name: user.name,
    role: user.role,
    locality: user.locality ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}
