declare module '../shared/job-queue.js' {
  interface JobPayloads {
    /** Every minute: enqueues a sync for each POS connection whose 12-hour slot has come. */
    'analytics.pos-schedule': Record<string, never>;
    'analytics.pos-sync': { connectionId: string; trigger: 'schedule' | 'manual' | 'retry' };
    'analytics.simulate': { simulationId: string };
  }
}

export {};
