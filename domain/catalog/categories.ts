import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { CategoryOutput } from './catalog.schemas.js';
import { catalogKeys, CATEGORIES_TTL_SECONDS } from './redis-keys.js';

/** Display names for slugs that do not read well title-cased. */
const NAMES: Record<string, string> = { other: 'Other', 'ready-meals': 'Ready meals', 'plant-based-foods': 'Plant-based foods' };

/** "dairy-products" → "Dairy products". */
function categoryName(slug: string): string {
  return NAMES[slug] ?? slug.charAt(0).toUpperCase() + slug.slice(1).replace(/-/g, ' ');
}

/**
 * Categories of active products with their counts. Counting a million rows takes a while, so the
 * answer is shared through Redis for a short time (counts are informative).
 */
export class Categories {
  constructor(
    private readonly em: EntityManager,
    private readonly redis: Redis,
  ) {}

  async list(): Promise<CategoryOutput[]> {
    const cached = await this.redis.get(catalogKeys.categories).catch(() => null);
    if (cached) return JSON.parse(cached) as CategoryOutput[];
    const rows: Array<{ category: string; count: string }> = await this.em
      .getConnection('read')
      .execute('select category, count(*) as count from products where active group by category order by category');
    const categories = rows.map((r) => ({ slug: r.category, name: categoryName(r.category), productCount: Number(r.count) }));
    await this.redis.set(catalogKeys.categories, JSON.stringify(categories), 'EX', CATEGORIES_TTL_SECONDS).catch(() => undefined);
    return categories;
  }
}
