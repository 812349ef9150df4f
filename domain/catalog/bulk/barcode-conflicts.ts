import type { EntityManager } from '@mikro-orm/postgresql';
import type { BulkRejection } from './product-staging.js';

export interface RowRange {
  fromRow: number;
  /** Exclusive. */
  toRow: number;
}

interface ConflictRow {
  row_no: number;
  sku: string;
  barcode: string;
  owner_sku: string;
  own: boolean;
}

/**
 * Staged rows (of `range`, or all) whose barcode already belongs to another product: barcodes are
 * unique across the catalog, so such a row would abort its whole batch. They are taken out of the
 * staging table and returned as rejections.
 */
export async function takeBarcodeConflicts(em: EntityManager, table: string, merchantId: string, range?: RowRange): Promise<BulkRejection[]> {
  const within = range ? 'and s.row_no >= ? and s.row_no < ?' : '';
  const rows = await em.execute<ConflictRow[]>(
    `delete from ${table} s using products t
     where lpad(t.barcode, 14, '0') = lpad(s.barcode, 14, '0') and t.barcode is not null and s.barcode is not null ${within}
       and not (t.merchant_id = ? and lower(t.sku) = s.key)
     returning s.row_no, s.sku, s.barcode, t.sku as owner_sku, t.merchant_id = ? as own`,
    [...(range ? [range.fromRow, range.toRow] : []), merchantId, merchantId],
  );
  return rows.map((r) => ({
    row: r.row_no,
    sku: r.sku,
    reason: r.own ? `barcode ${r.barcode} is already on your product ${r.owner_sku}` : `barcode ${r.barcode} already belongs to another merchant's product`,
  }));
}
