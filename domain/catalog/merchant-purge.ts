import type { UnitOfWork } from '../shared/unit-of-work.js';

const BATCH = 1_000;

/**
 * Deletes every product of a merchant in batches, each its own short unit of work (a large catalog
 * never holds one long lock), announcing each deletion with its batch.
 */
export class MerchantPurge {
  constructor(private readonly uow: UnitOfWork) {}

  /** Returns how many products were deleted; `progress` runs after every batch (e.g. to extend a job lock). */
  async run(merchantId: string, progress: () => Promise<void> = async () => {}): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.uow.run(async (tx, emit) => {
        const rows = await tx.execute<Array<{ id: string }>>(
          `delete from products where id in (select id from products where merchant_id = ? order by id limit ${BATCH} for update skip locked) returning id`,
          [merchantId],
        );
        for (const { id: productId } of rows) emit('product.deleted', { productId, merchantId });
        return rows.length;
      });
      if (deleted === 0) return total;
      total += deleted;
      await progress();
    }
  }
}
