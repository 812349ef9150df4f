declare module '../shared/job-queue.js' {
  interface JobPayloads {
    /** Sends one delivery attempt. */
    'webhooks.deliver': { attemptId: string };
    /** Every minute: queues attempts whose job was lost (an enqueue that failed, a worker that died mid-send). */
    'webhooks.sweep': Record<string, never>;
  }
}

export {};
