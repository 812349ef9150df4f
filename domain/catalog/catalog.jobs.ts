declare module '../shared/job-queue.js' {
  interface JobPayloads {
    /** `operationId`: the purge's progress record (domain/imports); jobs queued before it existed have none. */
    'catalog.delete-merchant-products': { merchantId: string; operationId?: string };
  }
}

export {};
