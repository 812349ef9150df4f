import type { EntityManager } from '@mikro-orm/postgresql';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { productConflict } from './product-conflicts.js';

const BATCH = 1_000;

/**
 * Runs inside each batch's transaction with the ids it deleted (e.g. to record progress atomically
 * with the deletion); answers whether to go on.
 */
export type PurgeBatchHook = (tx: EntityManager, deletedIds: string[]) => Promise<'continue' | 'stop'>;

/**
 * Deletes every product of a merchant in batches, each its own short unit of work (a large catalog
 * never holds one long lock). Each batch is announced once (`products.batch_changed`, for the caches),
 * never one event per product: a purge tells webhooks one summary (the caller's), not 100k deletions.
 */
export class MerchantPurge {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
  ) {}

  /** How many products the merchant has (a purge's total, for its progress). */
  async count(merchantId: string): Promise<number> {
    const [row] = await this.em.execute<Array<{ n: number }>>(`select count(*)::int as n from products where merchant_id = ?`, [merchantId]);
    return row.n;
  }

  /** Deletes until none are left or `onBatch` says stop; returns how many were deleted. */
  async run(merchantId: string, onBatch: PurgeBatchHook = async () => 'continue'): Promise<number> {
    let total = 0;
    for (;;) {
      const { deleted, next } = await this.batch(merchantId, onBatch);
      total += deleted;
      if (deleted === 0 || next === 'stop') return total;
    }
  }

  private async batch(merchantId: string, onBatch: PurgeBatchHook): Promise<{ deleted: number; next: 'continue' | 'stop' }> {
    try {
      return await this.uow.run(async (tx, emit) => {
        const rows = await tx.execute<Array<{ id: string }>>(
          `delete from products where id in (select id from products where merchant_id = ? order by id limit ${BATCH} for update skip locked) returning id`,
          [merchantId],
        );
        if (rows.length === 0) return { deleted: 0, next: 'stop' as const };
        const ids = rows.map((r) => r.id);
        emit('products.batch_changed', { merchantId, productIds: ids, stock: [] });
        return { deleted: ids.length, next: await onBatch(tx, ids) };
      });
    } catch (err) {
      throw productConflict(err);
    }
  }
}
