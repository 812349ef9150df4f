import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, type FieldError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { AnalyticsItem } from './analytics-settings.entity.js';
import type { MenuItemInput, MenuItemView } from './analytics.schemas.js';

/** Which of these catalog products belong to the merchant (the catalog's read interface, narrowed). */
export type OwnedProducts = (merchantId: string, productIds: string[]) => Promise<Set<string>>;

interface ItemRow {
  name: string;
  category: string | null;
  code: string | null;
  price_cents: number | null;
  unit_cost_cents: number | null;
  product_id: string | null;
}

const EDITABLE = ['category', 'code', 'priceCents', 'unitCostCents', 'productId'] as const;

/**
 * The merchant's item dictionary: every name transactions use, with what imports and analyses need to
 * know of it (category for substitution, code for the Maven mapping, list price, unit cost, catalog
 * product). Imports add names they meet; PUT sets the fields it is given (null clears, absent keeps).
 */
export class MenuItems {
  constructor(
    private readonly em: EntityManager,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly ownedProducts: OwnedProducts,
  ) {}

  async list(merchantId: string): Promise<MenuItemView[]> {
    const rows = await this.em.execute<ItemRow[]>(
      `select name, category, code, price_cents, unit_cost_cents, product_id from analytics_items where merchant_id = ? order by name`,
      [merchantId],
    );
    return rows.map(toView);
  }

  /** Creates or changes the given items in one transaction; answers the whole dictionary. */
  async put(merchantId: string, inputs: MenuItemInput[]): Promise<MenuItemView[]> {
    assertDistinct(inputs);
    await this.assertProducts(merchantId, inputs);
    await this.uow.run(async (tx, emit) => {
      await this.assertCodesFree(tx, merchantId, inputs);
      const existing = new Map((await tx.find(AnalyticsItem, { merchantId, name: { $in: inputs.map((i) => i.name) } })).map((e) => [e.name, e]));
      const now = this.clock.now();
      // Codes being given up are released first: the unique index checks each row as it is written.
      const releasing = inputs.filter((i) => i.code !== undefined && existing.get(i.name)?.code && existing.get(i.name)?.code !== i.code);
      for (const input of releasing) existing.get(input.name)!.code = null;
      if (releasing.length) await tx.flush();
      for (const input of inputs) {
        const item = existing.get(input.name) ?? tx.create(AnalyticsItem, { merchantId, name: input.name, createdAt: now, updatedAt: now });
        for (const field of EDITABLE) {
          if (input[field] !== undefined) (item as Record<string, unknown>)[field] = input[field];
        }
        item.updatedAt = now;
      }
      await tx.flush();
      emit('analytics.settings_changed', { merchantId });
    });
    return this.list(merchantId);
  }

  private async assertProducts(merchantId: string, inputs: MenuItemInput[]): Promise<void> {
    const ids = inputs.flatMap((i) => (i.productId ? [i.productId] : []));
    if (ids.length === 0) return;
    const owned = await this.ownedProducts(merchantId, ids);
    const errors: FieldError[] = [];
    inputs.forEach((input, i) => {
      if (input.productId && !owned.has(input.productId)) errors.push({ path: `items.${i}.productId`, message: 'is not one of your products' });
    });
    if (errors.length) throw AppError.validation(errors);
  }

  /** A code may name one item only: refused when an item not being changed already has it. */
  private async assertCodesFree(tx: EntityManager, merchantId: string, inputs: MenuItemInput[]): Promise<void> {
    const codes = inputs.flatMap((i) => (i.code ? [i.code] : []));
    if (codes.length === 0) return;
    const taken = await tx.execute<Array<{ code: string; name: string }>>(
      `select code, name from analytics_items where merchant_id = ? and code in (?) for update`,
      [merchantId, codes],
    );
    const changing = new Map(inputs.map((i) => [i.name, i]));
    const index = (code: string) => inputs.findIndex((i) => i.code === code);
    // Taken by another item that keeps it (an item giving its code up in the same request frees it).
    const keeps = (t: { code: string; name: string }) => {
      const own = changing.get(t.name);
      return own === undefined || own.code === undefined || own.code === t.code;
    };
    const clash = taken.find((t) => inputs[index(t.code)].name !== t.name && keeps(t));
    if (!clash) return;
    throw new AppError('CONFLICT', `Code ${clash.code} already names the item "${clash.name}"`, {
      errors: [{ path: `items.${index(clash.code)}.code`, message: `already names "${clash.name}"` }],
    });
  }
}

function assertDistinct(inputs: MenuItemInput[]): void {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  const codes = new Set<string>();
  inputs.forEach((input, i) => {
    if (names.has(input.name)) errors.push({ path: `items.${i}.name`, message: 'appears twice' });
    if (input.code && codes.has(input.code)) errors.push({ path: `items.${i}.code`, message: 'appears twice' });
    names.add(input.name);
    if (input.code) codes.add(input.code);
  });
  if (errors.length) throw AppError.validation(errors);
}

function toView(r: ItemRow): MenuItemView {
  return { name: r.name, category: r.category, code: r.code, priceCents: r.price_cents, unitCostCents: r.unit_cost_cents, productId: r.product_id };
}
