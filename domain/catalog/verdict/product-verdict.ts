import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../shared/app-error.js';
import { HealthProfile } from '../../identity/health-profile.js';
import { User } from '../../identity/user.entity.js';
import type { ProductData } from '../product-row.js';
import { judge, type Verdict } from './verdict-engine.js';

/** Reads the caller's stored health profile (validated again: stored JSON may predate the schema). */
export async function loadHealthProfile(em: EntityManager, userId: string): Promise<HealthProfile> {
  const user = await em.findOne(User, { id: userId }, { fields: ['id', 'healthProfile'] });
  if (!user) throw new AppError('UNAUTHENTICATED', 'Account no longer exists');
  const parsed = HealthProfile.safeParse(user.healthProfile ?? {});
  return parsed.success ? parsed.data : { conditions: [], diets: [], allergens: [] };
}

/** The verdict of a product for a profile. */
export function productVerdict(product: ProductData, profile: HealthProfile): Verdict {
  return judge({ nutrition: product.nutrition, ingredients: product.ingredients, labels: product.labels, allergens: product.allergens }, profile);
}
