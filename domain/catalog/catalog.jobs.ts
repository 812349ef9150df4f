declare module '../shared/job-queue.js' {
  interface JobPayloads {
    'catalog.delete-merchant-products': { merchantId: string };
  }
}

export {};
