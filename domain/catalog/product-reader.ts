import type { EntityManager } from '@mikro-orm/postgresql';
import { gtinKey } from './barcode.js';
import { PRODUCT_COLUMNS, toProductData, type ProductData, type ProductRow } from './product-row.js';
import type { ProductCache } from './product-cache.js';
import { sql, type Sql } from '../shared/sql.js';

/** Barcodes whose product id an instance remembers (about 100 bytes each). */
const REMEMBERED_BARCODES = 100_000;

const answersFor = (product: ProductData, key: string) => !!product.barcode && gtinKey(product.barcode) === key;

/** Single-product reads from the primary, through the cache. */
export class ProductReader {
  /**
   * gtin14 → id of the product that answered for it: a warm barcode read then fetches the product's
   * cache entry by id, in the same Redis round trip as its availability, instead of two in a row.
   */
  private readonly barcodeIds = new Map<string, string>();

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

  /**
   * The id that last answered for this barcode here, if any: a hint only (byBarcode checks the product
   * still carries the barcode), which lets a caller read the product's availability at the same time.
   */
  rememberedBarcodeId(code: string): string | undefined {
    return this.barcodeIds.get(gtinKey(code));
  }

  /** The product carrying this GTIN (UPC-A and its EAN-13 spelling are one), or null. */
  async byBarcode(code: string): Promise<ProductData | null> {
    const key = gtinKey(code);
    const id = this.barcodeIds.get(key);
    if (id) {
      const hit = await this.cache.get(id);
      if (hit?.active && answersFor(hit, key)) return hit;
    }
    const cached = await this.cache.byBarcode(code);
    if (cached && answersFor(cached, key)) return this.remember(key, cached);
    // Only products for sale are unique by barcode; an active one answers before hidden ones.
    const loaded = await this.load(sql`lpad(p.barcode, 14, '0') = ${key} order by p.active desc limit 1`);
    return loaded ? this.remember(key, loaded) : null;
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

  private remember(key: string, product: ProductData): ProductData {
    if (!product.active) return product;
    this.barcodeIds.delete(key);
    if (this.barcodeIds.size >= REMEMBERED_BARCODES) this.barcodeIds.delete(this.barcodeIds.keys().next().value!);
    this.barcodeIds.set(key, product.id);
    return product;
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
