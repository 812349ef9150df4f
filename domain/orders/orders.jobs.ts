declare module '../shared/job-queue.js' {
  interface JobPayloads {
    'orders.assign-waiting-drivers': Record<string, never>;
    'orders.cleanup-idempotency-keys': Record<string, never>;
  }
}

export {};
