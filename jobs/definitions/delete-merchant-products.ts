import { defineJob } from '../job-definition.js';

/** DELETE /products?confirm=all: removes a merchant's products in batches, extending the lock as it goes. */
export const deleteMerchantProducts = defineJob({
  name: 'catalog.delete-merchant-products',
  concurrency: 2,
  backoff: ({ attempt }) => (attempt <= 3 ? 10_000 * attempt : null),
  async handler({ merchantId }, { modules, log, touch }) {
    const deleted = await modules.catalog.purge.run(merchantId, touch);
    log.info({ merchantId, deleted }, 'merchant products deleted');
  },
});
