declare module './job-queue.js' {
  interface JobPayloads {
    'outbox.prune': Record<string, never>;
  }
}

export {};
