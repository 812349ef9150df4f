import type { ProductsForSale } from '../catalog/index.js';
import { MAX_CART_LINES, MAX_LINE_QUANTITY, type CartReservations } from '../inventory/index.js';
import { AppError } from '../shared/app-error.js';
import type { EventBus } from '../shared/event-bus.js';
import type { Cart, CartAddInput, CartUpdateInput } from './cart.schemas.js';

export interface CartServiceDeps {
  reservations: CartReservations;
  products: Pick<ProductsForSale, 'findRecent'>;
  events: EventBus;
  ttlSeconds: number;
}

/** A shopper's cart: every line is a live reservation of stock (the cart's holder id is the user id). */
export class CartService {
  constructor(private readonly d: CartServiceDeps) {}

  /** The caller's cart with current prices and its expiry. */
  async get(userId: string): Promise<Cart> {
    const [lines, expiresAt] = await Promise.all([this.d.reservations.lines(userId), this.d.reservations.expiresAt(userId)]);
    return this.view(lines, expiresAt);
  }

  private async view(lines: Map<string, number>, expiresAt: number | null): Promise<Cart> {
    const products = await this.d.products.findRecent([...lines.keys()]);
    const items = [...lines].map(([productId, quantity]) => ({ productId, quantity, priceCents: products.get(productId)?.priceCents ?? 0 }));
    return {
      items,
      totalCents: items.reduce((sum, i) => sum + i.priceCents * i.quantity, 0),
      currency: products.values().next().value?.currency ?? 'EUR',
      expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null,
    };
  }

  /** Reserves `quantity` more units of a product. */
  async add(userId: string, input: CartAddInput): Promise<Cart> {
    await this.assertSellable(userId, input.productId);
    return this.change(userId, input.productId, 'add', input.quantity);
  }

  /** Sets a line's quantity (0 removes it), reserving or releasing the difference. */
  async update(userId: string, input: CartUpdateInput): Promise<Cart> {
    if (input.quantity > 0) await this.assertSellable(userId, input.productId);
    return this.change(userId, input.productId, 'set', input.quantity);
  }

  /** Removes a line, releasing its units. */
  async remove(userId: string, productId: string): Promise<Cart> {
    return this.change(userId, productId, 'set', 0);
  }

  /** Releases every line of the cart; the answer is the cart as the release left it: empty. */
  async clear(userId: string): Promise<Cart> {
    const released = await this.d.reservations.release(userId);
    await this.d.events.publish('stock.changed', { productIds: released.map((l) => l.productId) });
    return this.view(new Map(), null);
  }

  /** One atomic change; the script answers with the cart as it now is, so the ack needs no second read. */
  private async change(userId: string, productId: string, mode: 'add' | 'set', quantity: number): Promise<Cart> {
    const r = await this.d.reservations.change(userId, productId, mode, quantity, this.d.ttlSeconds * 1000);
    if (r.status === 'MISSING') throw new AppError('NOT_FOUND', 'Product not found', { productId });
    if (r.status === 'OUT_OF_STOCK')
      throw new AppError('OUT_OF_STOCK', `Only ${r.available} available`, { productId, available: r.available, inCart: r.lineQuantity });
    if (r.status === 'QUANTITY_LIMIT') throw AppError.validation([{ path: 'quantity', message: `At most ${MAX_LINE_QUANTITY} per line` }]);
    if (r.status === 'LINE_LIMIT') throw AppError.validation([{ path: 'productId', message: `A cart holds at most ${MAX_CART_LINES} lines` }]);
    await this.d.events.publish('stock.changed', { productIds: [productId] });
    return this.view(r.lines!, r.expiresAt ?? null);
  }

  /** Unknown and inactive products cannot be reserved; a cart holds a single currency. */
  private async assertSellable(userId: string, productId: string): Promise<void> {
    const lines = await this.d.reservations.lines(userId);
    const other = [...lines.keys()].find((id) => id !== productId);
    const products = await this.d.products.findRecent(other ? [productId, other] : [productId]);
    const product = products.get(productId);
    if (!product?.active) throw new AppError('NOT_FOUND', 'Product not found', { productId });
    const otherCurrency = other ? products.get(other)?.currency : undefined;
    if (otherCurrency && otherCurrency !== product.currency) {
      throw AppError.validation([{ path: 'productId', message: `Cart is in ${otherCurrency}; this product is priced in ${product.currency}` }]);
    }
  }
}
