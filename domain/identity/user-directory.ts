import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import { HealthProfile } from './health-profile.js';
import { User } from './user.entity.js';

const EMPTY_PROFILE: HealthProfile = { conditions: [], diets: [], allergens: [] };

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
}
