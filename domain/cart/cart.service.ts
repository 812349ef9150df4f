import type { ProductForSale, ProductsForSale } from '../catalog/index.js';
import { MAX_CART_LINES, MAX_LINE_QUANTITY, type CartReservations, type ChangeResult } from '../inventory/index.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { EventBus } from '../shared/event-bus.js';
import type { Cart, CartAddInput, CartUpdateInput } from './cart.schemas.js';

/** Units of a product a customer has in orders that are not cancelled (the orders module's). */
export type OrderedUnits = (customerId: string, productId: string) => Promise<number>;

export interface CartServiceDeps {
  reservations: CartReservations;
  products: Pick<ProductsForSale, 'findRecent' | 'find'>;
  events: EventBus;
  orderedUnits: OrderedUnits;
  ttlSeconds: number;
  maxHoldSeconds: number;
}

/**
 * A shopper's cart: every line is a live reservation of stock (the cart's holder id is the user id).
 * Only customers reserve (no one else can check out); a cart slides with each real change but never
 * outlives its absolute hold limit; a product's maxPerCustomer caps what one customer holds and bought.
 */
export class CartService {
  constructor(private readonly d: CartServiceDeps) {}

  /** The caller's cart with current prices and its expiry (`fresh`: prices read from PostgreSQL, not the 2 s cache). */
  async get(userId: string, fresh = false): Promise<Cart> {
    const [lines, expiresAt] = await Promise.all([this.d.reservations.lines(userId), this.d.reservations.expiresAt(userId)]);
    return this.view(lines, expiresAt, fresh);
  }

  /** Reserves `quantity` more units of a product. */
  async add(caller: Actor, input: CartAddInput): Promise<Cart> {
    const product = await this.assertSellable(caller, input.productId);
    return this.change(caller.id, product, 'add', input.quantity);
  }

  /** Sets a line's quantity (0 removes it), reserving or releasing the difference. */
  async update(caller: Actor, input: CartUpdateInput): Promise<Cart> {
    if (input.quantity === 0) return this.remove(caller.id, input.productId);
    return this.change(caller.id, await this.assertSellable(caller, input.productId), 'set', input.quantity);
  }

  /** Removes a line, releasing its units. */
  async remove(userId: string, productId: string): Promise<Cart> {
    const r = await this.d.reservations.change(userId, productId, 'set', 0, { ttlMs: this.d.ttlSeconds * 1000, maxHoldMs: this.d.maxHoldSeconds * 1000 });
    return this.answer(r, productId);
  }

  /** Releases every line of the cart; the answer is the cart as the release left it: empty. */
  async clear(userId: string): Promise<Cart> {
    const released = await this.d.reservations.release(userId);
    await this.d.events.publish('stock.changed', { productIds: released.map((l) => l.productId) });
    return this.view(new Map(), null);
  }

  /** The customers whose carts hold the product (checkout holds are not carts). */
  async holdersOf(productId: string): Promise<string[]> {
    return (await this.d.reservations.holdersOf(productId)).filter((holder) => !holder.startsWith('checkout:'));
  }

  /**
   * One atomic change, which also keeps the cart in one currency; the script answers with the cart as
   * it now is, so the ack needs no second read.
   */
  private async change(userId: string, product: ProductForSale, mode: 'add' | 'set', quantity: number): Promise<Cart> {
    const allowed = product.maxPerCustomer === null ? undefined : Math.max(0, product.maxPerCustomer - (await this.d.orderedUnits(userId, product.id)));
    const r = await this.d.reservations.change(userId, product.id, mode, quantity, {
      ttlMs: this.d.ttlSeconds * 1000,
      maxHoldMs: this.d.maxHoldSeconds * 1000,
      allowed,
      currency: product.currency,
    });
    if (r.status === 'CURRENCY') {
      throw AppError.validation([{ path: 'productId', message: `Cart is in ${r.heldCurrency}; this product is priced in ${product.currency}` }]);
    }
    if (r.status === 'CUSTOMER_LIMIT') {
      const message = `At most ${product.maxPerCustomer} per customer (${r.allowed} left to you)`;
      throw new AppError('VALIDATION', message, { errors: [{ path: 'quantity', message }], maxPerCustomer: product.maxPerCustomer, allowed: r.allowed });
    }
    return this.answer(r, product.id, product);
  }

  /** The change's outcome as the cart, or its refusal; `product`: the changed product as the caller already read it. */
  private async answer(r: ChangeResult, productId: string, product?: ProductForSale): Promise<Cart> {
    if (r.status === 'MISSING') throw new AppError('NOT_FOUND', 'Product not found', { productId });
    if (r.status === 'OUT_OF_STOCK')
      throw new AppError('OUT_OF_STOCK', `Only ${r.available} available`, { productId, available: r.available, inCart: r.lineQuantity });
    if (r.status === 'QUANTITY_LIMIT') throw AppError.validation([{ path: 'quantity', message: `At most ${MAX_LINE_QUANTITY} per line` }]);
    if (r.status === 'LINE_LIMIT') throw AppError.validation([{ path: 'productId', message: `A cart holds at most ${MAX_CART_LINES} lines` }]);
    await this.d.events.publish('stock.changed', { productIds: [productId], available: [r.available] });
    const lines = r.lines!;
    // The usual cart after a change holds nothing but the changed product (or nothing): no second look-up.
    if (lines.size === 0) return cartOf(lines, new Map(), null);
    if (product && lines.size === 1 && lines.has(product.id)) return cartOf(lines, new Map([[product.id, product]]), r.expiresAt ?? null);
    return this.view(lines, r.expiresAt ?? null);
  }

  private async view(lines: Map<string, number>, expiresAt: number | null, fresh = false): Promise<Cart> {
    const ids = [...lines.keys()];
    const products = ids.length === 0 ? new Map() : fresh ? await this.d.products.find(ids) : await this.d.products.findRecent(ids);
    return cartOf(lines, products, expiresAt);
  }

  /**
   * Only customers reserve; unknown and inactive products cannot be reserved; an add-on goes into an
   * order with its dish, never into a cart alone. (A cart's single currency is checked by the change
   * itself, atomically: see `change`.)
   */
  private async assertSellable(caller: Actor, productId: string): Promise<ProductForSale> {
    if (caller.role !== 'customer') throw new AppError('FORBIDDEN', 'Only customers reserve stock (only they can check out)');
    const product = (await this.d.products.findRecent([productId])).get(productId);
    if (!product?.active) throw new AppError('NOT_FOUND', 'Product not found', { productId });
    if (product.kind === 'addon') throw AppError.validation([{ path: 'productId', message: 'An add-on is ordered with its dish, not put in a cart alone' }]);
    return product;
  }
}

/** The cart's answer from its lines and their products' current prices. */
function cartOf(lines: Map<string, number>, products: Map<string, ProductForSale>, expiresAt: number | null): Cart {
  const items: Cart['items'] = [];
  let totalCents = 0;
  for (const [productId, quantity] of lines) {
    const priceCents = products.get(productId)?.priceCents ?? 0;
    items.push({ productId, quantity, priceCents });
    totalCents += priceCents * quantity;
  }
  return {
    items,
    totalCents,
    currency: products.values().next().value?.currency ?? 'EUR',
    expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null,
  };
}
