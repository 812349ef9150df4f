import type { EntityManager } from '@mikro-orm/postgresql';
import type { Emit } from '../../shared/domain-events.js';
import { ingredientFlags } from '../verdict/ingredient-matcher.js';
import { takeBarcodeConflicts, type RowRange } from './barcode-conflicts.js';
import { changesSql, FIELD_SPECS, specsOf, type FieldSpec, type ImportField } from './import-fields.js';
import type { BulkRejection } from './product-staging.js';

/** One batch of a staged file: the rows of `range` written for `merchantId`, the file giving `fields`. */
export interface StagedBatch extends RowRange {
  table: string;
  merchantId: string;
  fields: readonly ImportField[];
}

/** What a batch did: products inserted, products really changed, rows that changed nothing, rows refused. */
export interface BatchOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  rejections: BulkRejection[];
}

/** What a shopper's cart shows of a product: a change to it is announced (product.offer_changed). */
interface OfferRow {
  id: string;
  stock: number;
  price_cents: number;
  currency: string;
  active: boolean;
}

interface UpdatedRow extends OfferRow {
  stock_version: string;
}

export async function writeStagedBatch(tx: EntityManager, emit: Emit, batch: StagedBatch): Promise<BatchOutcome> {
  const { table, merchantId, fromRow, toRow } = batch;
  // A batch is a few thousand staged rows matched to the merchant's catalog through its indexes. The
  // planner prices those probes above hashing the merchant's whole catalog (760 ms against 30 ms a batch
  // at 500k products, EXPLAIN ANALYZE), and while a first import grows the table faster than autovacuum
  // analyses it, it misjudges which side is small (2 minutes for 100k rows). Index probes in nested loops
  // are the plan at every size: the statements are shaped for them and these settings (until the end of
  // the transaction) keep the planner from anything else.
  for (const setting of ['enable_hashjoin', 'enable_mergejoin', 'enable_seqscan']) await tx.execute(`set local ${setting} = off`, [], 'run');
  const rejections = batch.fields.includes('barcode') ? await takeBarcodeConflicts(tx, table, merchantId, batch) : [];
  const [{ n: rows }] = await tx.execute<Array<{ n: number }>>(`select count(*)::int as n from ${table} where row_no >= ? and row_no < ?`, [fromRow, toRow]);
  // New SKUs first (an existing one is skipped by its unique index): a SKU another writer inserts
  // meanwhile is skipped here too, and updated just below.
  const inserted = await tx.execute<Array<{ id: string }>>(insertSql(table), [merchantId, fromRow, toRow]);
  const specs = specsOf(batch.fields);
  const { updated, before } = await updateChanged(tx, batch, specs);
  if (flagsNeedRefresh(batch.fields) && updated.length)
    await refreshIngredientFlags(
      tx,
      updated.map((u) => u.id),
    );
  const productIds = [...inserted.map((r) => r.id), ...updated.map((r) => r.id)];
  if (productIds.length) {
    const stock = updated
      .filter((u) => u.stock !== before.get(u.id)?.stock)
      .map((u) => ({ productId: u.id, stock: u.stock, stockVersion: Number(u.stock_version) }));
    emit('products.batch_changed', { merchantId, productIds, stock });
  }
  // Carts holding a product whose price, currency or for-sale flag changed are told, as for a single edit.
  for (const u of updated) {
    const old = before.get(u.id);
    if (old && (old.price_cents !== u.price_cents || old.currency !== u.currency || old.active !== u.active)) {
      emit('product.offer_changed', { productId: u.id, priceCents: u.price_cents, currency: u.currency, active: u.active });
    }
  }
  return { inserted: inserted.length, updated: updated.length, unchanged: rows - inserted.length - updated.length, rejections };
}

/** Whether the staged ingredient flags can be written as they are (the file gives both inputs of them). */
function flagsFollow(fields: readonly ImportField[]): boolean {
  return fields.includes('ingredients') && fields.includes('labels');
}

/** One of ingredients / labels changes and the other is kept: the flags are derived from both, after the update. */
function flagsNeedRefresh(fields: readonly ImportField[]): boolean {
  return fields.includes('ingredients') !== fields.includes('labels');
}

function insertSql(table: string): string {
  const columns = FIELD_SPECS.map((f) => f.column);
  const values = FIELD_SPECS.map((f) => f.insert);
  return `insert into products (id, merchant_id, ${columns.join(', ')}, ingredient_flags, created_at, updated_at)
    select gen_random_uuid(), ?, ${values.join(', ')}, coalesce(s.ingredient_flags, '{}'), now(), now()
    from ${table} s
    where s.row_no >= ? and s.row_no < ?
    on conflict do nothing
    returning id`;
}

/**
 * The batch's changed products, in three steps whose plans cannot go wrong at any catalog size: find
 * them (each staged row probes the (merchant_id, lower(sku)) index: LATERAL … LIMIT 1 keeps the staged
 * rows outside), lock them in id order (as checkouts lock, so the two never deadlock), then update them
 * by id from their staged rows, checking again under the lock that they still differ.
 */
async function updateChanged(
  tx: EntityManager,
  batch: StagedBatch,
  specs: readonly FieldSpec[],
): Promise<{ updated: UpdatedRow[]; before: Map<string, OfferRow> }> {
  const { table, merchantId, fromRow, toRow } = batch;
  const candidates = await tx.execute<Array<{ id: string; row_no: number }>>(
    `select t.id, s.row_no from ${table} s
     cross join lateral (select * from products t where t.merchant_id = ? and lower(t.sku) = s.key limit 1) t
     where s.row_no >= ? and s.row_no < ? and ${changesSql(specs)}`,
    [merchantId, fromRow, toRow],
  );
  if (candidates.length === 0) return { updated: [], before: new Map() };
  const ids = `{${candidates.map((c) => c.id).join(',')}}`;
  const locked = await tx.execute<OfferRow[]>(
    `select id, stock, price_cents, currency, active from products where id = any(?::uuid[]) order by id for update`,
    [ids],
  );
  const updated = await tx.execute<UpdatedRow[]>(updateSql(table, specs, flagsFollow(batch.fields)), [ids, `{${candidates.map((c) => c.row_no).join(',')}}`]);
  return { updated, before: new Map(locked.map((l) => [l.id, l])) };
}

function updateSql(table: string, specs: readonly FieldSpec[], withFlags: boolean): string {
  const sets = specs.map((f) => (f.update === 'keep' ? `${f.column} = coalesce(x.${f.column}, p.${f.column})` : `${f.column} = x.${f.column}`));
  if (withFlags) sets.push('ingredient_flags = coalesce(x.ingredient_flags, p.ingredient_flags)');
  return `update products p set ${sets.join(', ')}, updated_at = now()
    from (select c.id as target_id, s.* from unnest(?::uuid[], ?::int[]) as c(id, row_no) join ${table} s on s.row_no = c.row_no) x
    where p.id = x.target_id and ${changesSql(specs, 'p', 'x')}
    returning p.id, p.stock, p.stock_version, p.price_cents, p.currency, p.active`;
}

async function refreshIngredientFlags(tx: EntityManager, ids: string[]): Promise<void> {
  const rows = await tx.execute<Array<{ id: string; ingredients: string; labels: string[] }>>(`select id, ingredients, labels from products where id in (?)`, [
    ids,
  ]);
  const flags = rows.map((r) => ({ id: r.id, flags: ingredientFlags(r.ingredients, r.labels) }));
  await tx.execute(
    `update products p set ingredient_flags = x.flags from jsonb_to_recordset(?::jsonb) as x(id uuid, flags text[])
     where p.id = x.id and p.ingredient_flags is distinct from x.flags`,
    [JSON.stringify(flags)],
    'run',
  );
}
