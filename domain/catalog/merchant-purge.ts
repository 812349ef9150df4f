import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventBus } from '../shared/event-bus.js';

const BATCH = 1_000;

/**
 * Deletes every product of a merchant in batches (each its own short transaction, so a large catalog
 * never holds one long lock), announcing each deletion after its batch committed.
 */
export class MerchantPurge {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventBus,
  ) {}

  /** Returns how many products were deleted; `progress` runs after every batch (e.g. to extend a job lock). */
  async run(merchantId: string, progress: () => Promise<void> = async () => {}): Promise<number> {
    let total = 0;
    for (;;) {
      const rows: Array<{ id: string }> = await this.em
        .getConnection()
        .execute(
          `delete from products where id in (select id from products where merchant_id = ? order by id limit ${BATCH} for update skip locked) returning id`,
          [merchantId],
        );
      if (rows.length === 0) return total;
      total += rows.length;
      // Together, so the subscribers' Redis calls share round trips (the client auto-pipelines).
      await Promise.all(rows.map(({ id: productId }) => this.events.publish('product.deleted', { productId, merchantId })));
      await progress();
    }
  }
}
