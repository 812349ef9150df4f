import type { HealthProfile } from '../../identity/index.js';
import type { ListProductsQuery } from '../catalog.schemas.js';
import type { Caller } from '../product-access.js';
import { suitabilityPredicate } from '../verdict/suitability-sql.js';
import { join, sql, type Sql } from '../../shared/sql.js';

/**
 * The WHERE of a listing (without the keyset), over alias `p`. Inactive products show only in a
 * listing of the caller's own products (or to an admin).
 */
export function filterPredicate(q: ListProductsQuery, caller: Caller | undefined, profile: HealthProfile | null): Sql {
  const parts: Sql[] = [];
  const ownListing = caller && (caller.role === 'admin' || (q.merchantId !== undefined && q.merchantId === caller.id));
  if (!ownListing) parts.push(sql`p.active`);
  if (q.category !== undefined) parts.push(sql`p.category = ${q.category}`);
  if (q.kind !== undefined) parts.push(sql`p.kind = ${q.kind}`);
  if (q.label !== undefined) parts.push(sql`p.labels @> array[${q.label}]::text[]`);
  if (q.merchantId !== undefined) parts.push(sql`p.merchant_id = ${q.merchantId}`);
  if (q.minPriceCents !== undefined) parts.push(sql`p.price_cents >= ${q.minPriceCents}`);
  if (q.maxPriceCents !== undefined) parts.push(sql`p.price_cents <= ${q.maxPriceCents}`);
  if (q.inStock !== undefined) parts.push(q.inStock ? sql`p.stock > 0` : sql`p.stock = 0`);
  if (profile) parts.push(suitabilityPredicate(profile));
  return join(parts, ' and ', 'true');
}
