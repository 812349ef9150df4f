/** Redis keys owned by the catalog (the client adds the deployment prefix), with their TTLs. */
export const catalogKeys = {
  /** JSON ProductData, cache-aside; deleted by the change events. */
  product: (id: string) => `catalog:product:${id}`,
  /** product id for a 14-digit GTIN key; a stale entry is detected by comparing barcodes. */
  barcode: (gtin14: string) => `catalog:barcode:${gtin14}`,
  /** JSON list of categories with counts. */
  categories: 'catalog:categories',
  /** The primary's WAL position (pg_lsn text) after this user's last product change (ReplicaReads). */
  wroteAt: (userId: string) => `catalog:wrote-at:${userId}`,
} as const;

/**
 * Events delete entries on every catalog write; the TTL bounds staleness for writes that bypass the
 * catalog (checkout's guarded stock update changes `stock`; `available` is always live).
 */
export const PRODUCT_TTL_SECONDS = 60;
export const CATEGORIES_TTL_SECONDS = 30;
/** How long a writer's listings check the replica has replayed their write (then replicas are trusted again). */
export const WRITER_MARK_SECONDS = 60;
