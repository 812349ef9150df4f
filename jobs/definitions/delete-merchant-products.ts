import { defineJob } from '../job-definition.js';

/**
 * DELETE /products?confirm=all: removes a merchant's products in batches, reporting progress as an
 * operation of the imports module (same events as an import); a dead worker's purge is taken over
 * within ~20 s and simply goes on deleting what is left.
 */
export const deleteMerchantProducts = defineJob({
  name: 'catalog.delete-merchant-products',
  concurrency: 2,
  lockLifetimeMs: 20_000,
  async handler({ merchantId, operationId }, { modules, touch }) {
    await modules.imports.purges.run(merchantId, operationId, touch);
  },
});
