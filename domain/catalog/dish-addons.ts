import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import type { Actor } from '../shared/actor.js';

export const MAX_ADDONS_PER_DISH = 50;

export const DishAddonsInput = z.object({ addonIds: z.array(z.uuid()).max(MAX_ADDONS_PER_DISH) }).strict();
export type DishAddonsInput = z.infer<typeof DishAddonsInput>;
export const DishAddonsView = z.object({ dishId: z.uuid(), addonIds: z.array(z.uuid()) });
export type DishAddonsView = z.infer<typeof DishAddonsView>;

interface ProductRow {
  id: string;
  merchant_id: string;
  kind: string;
}

/**
 * Links a new add-on to dishes of its own restaurant (inside the transaction that created it); refuses
 * any id that is not such a dish, naming it as `dishIds.<i>`.
 */
export async function linkAddonToDishes(
  tx: EntityManager,
  addon: { id: string; kind: string; restaurantId?: string | null },
  dishIds: string[],
): Promise<void> {
  if (addon.kind !== 'addon') throw AppError.validation([{ path: 'dishIds', message: 'Only an add-on is linked to dishes' }]);
  const rows = await tx.execute<Array<{ id: string; kind: string; restaurant_id: string | null }>>(
    `select id, kind, restaurant_id from products where id in (?) for key share`,
    [dishIds],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const errors = dishIds.flatMap((id, i) => {
    const dish = byId.get(id);
    return dish?.kind === 'dish' && dish.restaurant_id === addon.restaurantId ? [] : [{ path: `dishIds.${i}`, message: 'Not a dish of this restaurant' }];
  });
  if (errors.length) throw AppError.validation(errors);
  await tx.execute(
    `insert into dish_addons (dish_id, addon_id) values ${dishIds.map(() => '(?, ?)').join(', ')} on conflict do nothing`,
    dishIds.flatMap((d) => [d, addon.id]),
  );
}

/**
 * Which add-ons may be ordered with a dish (checkout refuses any other pairing). A merchant links
 * its own add-ons to its own dishes; an admin any of one merchant's.
 */
export class DishAddons {
  constructor(private readonly em: EntityManager) {}

  async get(dishId: string): Promise<DishAddonsView> {
    const [dish] = await this.em.execute<ProductRow[]>(`select id, merchant_id, kind from products where id = ? and active`, [dishId]);
    if (dish?.kind !== 'dish') throw new AppError('NOT_FOUND', 'Dish not found');
    const rows = await this.em.execute<Array<{ addon_id: string }>>(`select addon_id from dish_addons where dish_id = ? order by addon_id`, [dishId]);
    return { dishId, addonIds: rows.map((r) => r.addon_id) };
  }

  /** Replaces the dish's add-on list in one transaction. */
  async replace(caller: Actor, dishId: string, input: DishAddonsInput): Promise<DishAddonsView> {
    const addonIds = [...new Set(input.addonIds)];
    await this.em.transactional(async (tx) => {
      const [dish] = await tx.execute<ProductRow[]>(`select id, merchant_id, kind from products where id = ? for no key update`, [dishId]);
      if (!dish || (caller.role !== 'admin' && dish.merchant_id !== caller.id)) throw new AppError('NOT_FOUND', 'Product not found');
      if (dish.kind !== 'dish') throw AppError.validation([{ path: 'id', message: 'Only a dish has add-ons' }]);
      const addons = addonIds.length ? await tx.execute<ProductRow[]>(`select id, merchant_id, kind from products where id in (?)`, [addonIds]) : [];
      const byId = new Map(addons.map((a) => [a.id, a]));
      const errors = addonIds.flatMap((id, i) => {
        const addon = byId.get(id);
        if (!addon || addon.merchant_id !== dish.merchant_id) return [{ path: `addonIds.${i}`, message: "Not one of this merchant's products" }];
        if (addon.kind !== 'addon') return [{ path: `addonIds.${i}`, message: 'Not an add-on' }];
        return [];
      });
      if (errors.length) throw AppError.validation(errors);
      await tx.execute(`delete from dish_addons where dish_id = ?`, [dishId]);
      if (addonIds.length) {
        await tx.execute(
          `insert into dish_addons (dish_id, addon_id) values ${addonIds.map(() => '(?, ?)').join(', ')}`,
          addonIds.flatMap((a) => [dishId, a]),
        );
      }
    });
    return this.get(dishId);
  }
}
