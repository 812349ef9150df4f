import type { EntityManager } from '@mikro-orm/postgresql';
import { takeBarcodeConflicts } from './barcode-conflicts.js';
import { changesSql, specsOf, type ImportField } from './import-fields.js';
import type { BulkRejection } from './product-staging.js';

/** What writing a staged file would do to a merchant's catalog. */
export interface StagedDiff {
  wouldInsert: number;
  wouldUpdate: number;
  unchanged: number;
  rejections: BulkRejection[];
}

/**
 * Compares a prepared staging table with the merchant's products by the same rules the batches
 * write with (same barcode check, same change predicate), reading the catalog only.
 */
export async function diffStage(em: EntityManager, table: string, merchantId: string, fields: readonly ImportField[]): Promise<StagedDiff> {
  const rejections = fields.includes('barcode') ? await takeBarcodeConflicts(em, table, merchantId) : [];
  const changed = changesSql(specsOf(fields));
  const [counts] = await em.execute<Array<{ would_insert: number; would_update: number; unchanged: number }>>(
    `select count(*) filter (where t.id is null)::int as would_insert,
            count(*) filter (where t.id is not null and ${changed})::int as would_update,
            count(*) filter (where t.id is not null and not (${changed}))::int as unchanged
     from ${table} s left join products t on t.merchant_id = ? and lower(t.sku) = s.key`,
    [merchantId],
  );
  return { wouldInsert: counts.would_insert, wouldUpdate: counts.would_update, unchanged: counts.unchanged, rejections };
}
