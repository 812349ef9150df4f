import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import { uuidArray } from '../shared/uuid-array.js';
import { HealthProfile } from './health-profile.js';
import { User } from './user.entity.js';

const EMPTY_PROFILE: HealthProfile = { conditions: [], diets: [], allergens: [] };

/** Where a user can be reached outside the app. */
export interface UserContact {
  email: string | null;
  phone: string | null;
  locality: string | null;
}

/** What other modules may read about users, without touching the users table themselves. */
export class UserDirectory {
  constructor(private readonly em: EntityManager) {}

  /** The user's stored health profile, validated again (stored JSON may predate the schema). */
  async healthProfile(userId: string): Promise<HealthProfile> {
    const user = await this.em.findOne(User, { id: userId }, { fields: ['id', 'healthProfile'] });
    if (!user) throw new AppError('UNAUTHENTICATED', 'Account no longer exists');
    const parsed = HealthProfile.safeParse(user.healthProfile ?? {});
    return parsed.success ? parsed.data : EMPTY_PROFILE;
  }

  /** The locality on the user's profile, or null. */
  async locality(userId: string): Promise<string | null> {
    const user = await this.em.findOne(User, { id: userId }, { fields: ['id', 'locality'] });
    return user?.locality ?? null;
  }

  /** Display names by user id (ids without an account are left out). */
  async names(userIds: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return new Map();
    const users = await this.em.find(User, { id: { $in: unique } }, { fields: ['id', 'name'], disableIdentityMap: true });
    return new Map(users.map((u) => [u.id, u.name]));
  }

  /** Which of the ids name accounts that exist and are enabled (one query, for sweeping live sessions). */
  async activeIds(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.em.getConnection().execute<Array<{ id: string }>>('select id from users where id in (?) and disabled_at is null', [[...userIds]]);
    return new Set(rows.map((r) => r.id));
  }

  /** Whether the id names a merchant account. */
  async isMerchant(userId: string): Promise<boolean> {
    const user = await this.em.findOne(User, { id: userId }, { fields: ['id', 'role'] });
    return user?.role === 'merchant';
  }

  /** The e-mail, phone and locality of each user found, by id. */
  async contacts(userIds: readonly string[]): Promise<Map<string, UserContact>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.em.execute<Array<UserContact & { id: string }>>(`select id, email, phone, locality from users where id = any(?::uuid[])`, [
      uuidArray(new Set(userIds)),
    ]);
    return new Map(rows.map(({ id, ...contact }) => [id, contact]));
  }

  /**
   * The next `limit` customers of a locality after `afterId`, in id order (one index range: a caller
   * walks a locality of any size in batches).
   */
  async customersIn(locality: string, afterId: string | null, limit: number): Promise<string[]> {
    const rows = await this.em.execute<Array<{ id: string }>>(`select id from users where locality = ? and role = 'customer' and id > ? order by id limit ?`, [
      locality,
      afterId ?? '00000000-0000-0000-0000-000000000000',
      limit,
    ]);
    return rows.map((r) => r.id);
  }
}
