import type { EntityManager } from '@mikro-orm/postgresql';
import { gtinKey } from './barcode.js';
import { PRODUCT_COLUMNS, toProductData, type ProductData, type ProductRow } from './product-row.js';
import type { ProductCache } from './product-cache.js';
import { sql, type Sql } from '../shared/sql.js';

/** Single-product reads from the primary, through the cache. */
export class ProductReader {
  constructor(
    private readonly em: EntityManager,
    private readonly cache: ProductCache,
  ) {}

  /** The product, or null when there is none. */
  async byId(id: string): Promise<ProductData | null> {
    const cached = await this.cache.get(id);
    if (cached) return cached;
    return this.load(sql`p.id = ${id}`);
  }

  /** The product carrying this GTIN (UPC-A and its EAN-13 spelling are one), or null. */
  async byBarcode(code: string): Promise<ProductData | null> {
    const key = gtinKey(code);
    const cached = await this.cache.byBarcode(code);
    if (cached?.barcode && gtinKey(cached.barcode) === key) return cached;
    // Only products for sale are unique by barcode; an active one answers before hidden ones.
    return this.load(sql`lpad(p.barcode, 14, '0') = ${key} order by p.active desc limit 1`);
  }

  /** Several products by id from the primary (uncached: a meal set's dishes and add-ons, read together). */
  async byIds(ids: readonly string[]): Promise<ProductData[]> {
    if (ids.length === 0) return [];
    const rows = await this.em.execute<ProductRow[]>(`select ${PRODUCT_COLUMNS.text} from products p where p.id in (?)`, [[...new Set(ids)]]);
    return rows.map(toProductData);
  }

  /** Uncached, for writers: the row and its stock version (set by the trigger), in one read inside `tx`. */
  async committed(id: string, tx: EntityManager): Promise<{ product: ProductData; stockVersion: number } | null> {
    const rows = await tx.execute<Array<ProductRow & { stock_version: string }>>(
      `select ${PRODUCT_COLUMNS.text}, p.stock_version from products p where p.id = ?`,
      [id],
    );
    return rows[0] ? { product: toProductData(rows[0]), stockVersion: Number(rows[0].stock_version) } : null;
  }

  private async load(where: Sql): Promise<ProductData | null> {
    const query = sql`select ${PRODUCT_COLUMNS} from products p where ${where}`;
    const rows: ProductRow[] = await this.em.getConnection().execute(query.text, [...query.params]);
    if (!rows[0]) return null;
    const product = toProductData(rows[0]);
    await this.cache.put(product);
    return product;
  }
}
