import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { gtinKey } from './barcode.js';
import type { ProductData } from './product-row.js';
import { catalogKeys, PRODUCT_TTL_SECONDS } from './redis-keys.js';
import { defineScripts, keyPrefixOf, luaLoader } from '../shared/redis-scripts.js';

interface CacheScripts {
  productByBarcode(barcodeKey: string, productKeyPrefix: string): Promise<string | null>;
}

const lua = luaLoader(import.meta.url);

/**
 * Cache-aside for products by id and by barcode. Redis trouble never fails a read: the caller falls
 * back to PostgreSQL (a cache is an optimisation, not a dependency).
 */
export class ProductCache {
  private readonly scripts: CacheScripts;
  /** Where product entries live with the deployment prefix, for the script that follows a barcode entry. */
  private readonly productKeys: string;

  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
  ) {
    this.scripts = defineScripts<CacheScripts>(redis, { productByBarcode: { numberOfKeys: 1, lua: lua('product-by-barcode') } });
    this.productKeys = keyPrefixOf(redis) + catalogKeys.product('');
  }

  async get(id: string): Promise<ProductData | null> {
    const json = await this.safely(() => this.redis.get(catalogKeys.product(id)));
    return json ? (JSON.parse(json) as ProductData) : null;
  }

  /** The product cached for a barcode, if any (the caller checks it still carries that barcode). */
  async byBarcode(code: string): Promise<ProductData | null> {
    const json = await this.safely(() => this.scripts.productByBarcode(catalogKeys.barcode(gtinKey(code)), this.productKeys));
    return json ? (JSON.parse(json) as ProductData) : null;
  }

  async put(product: ProductData): Promise<void> {
    const multi = this.redis.multi().set(catalogKeys.product(product.id), JSON.stringify(product), 'EX', PRODUCT_TTL_SECONDS);
    // Only a product for sale may answer for its barcode (hidden ones may share it).
    if (product.barcode && product.active) multi.set(catalogKeys.barcode(gtinKey(product.barcode)), product.id, 'EX', PRODUCT_TTL_SECONDS);
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
