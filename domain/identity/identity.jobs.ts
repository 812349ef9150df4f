declare module '../shared/job-queue.js' {
  interface JobPayloads {
    'identity.cleanup-expired-tokens': Record<string, never>;
  }
}

export {};
