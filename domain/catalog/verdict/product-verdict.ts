import type { ProductData } from '../product-row.js';
import { judge, type Verdict } from './verdict-engine.js';
import type { HealthProfile } from '../../identity/index.js';

/** The verdict of a product for a profile. */
export function productVerdict(product: ProductData, profile: HealthProfile): Verdict {
  return judge({ nutrition: product.nutrition, ingredients: product.ingredients, labels: product.labels, allergens: product.allergens }, profile);
}
