import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { gtinKey } from './barcode.js';
import type { ProductData } from './product-row.js';
import { catalogKeys, PRODUCT_TTL_SECONDS } from './redis-keys.js';

/**
 * Cache-aside for products by id and by barcode. Redis trouble never fails a read: the caller falls
 * back to PostgreSQL (a cache is an optimisation, not a dependency).
 */
export class ProductCache {
  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
  ) {}

  async get(id: string): Promise<ProductData | null> {
    const json = await this.safely(() => this.redis.get(catalogKeys.product(id)));
    return json ? (JSON.parse(json) as ProductData) : null;
  }

  /** The product id cached for a barcode, if any (the caller checks the product still carries it). */
  async idForBarcode(code: string): Promise<string | null> {
    return (await this.safely(() => this.redis.get(catalogKeys.barcode(gtinKey(code))))) ?? null;
  }

  async put(product: ProductData): Promise<void> {
    const multi = this.redis.multi().set(catalogKeys.product(product.id), JSON.stringify(product), 'EX', PRODUCT_TTL_SECONDS);
    if (product.barcode) multi.set(catalogKeys.barcode(gtinKey(product.barcode)), product.id, 'EX', PRODUCT_TTL_SECONDS);
    await this.safely(() => multi.exec());
  }

  /** Drops a product's entries (its barcode entry is dropped lazily, on a mismatch). */
  async forget(ids: string[]): Promise<void> {
    if (ids.length) await this.safely(() => this.redis.unlink(...ids.map(catalogKeys.product)));
  }

  private async safely<T>(op: () => Promise<T>): Promise<T | undefined> {
    try {
      return await op();
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'product cache unavailable');
      return undefined;
    }
  }
}
