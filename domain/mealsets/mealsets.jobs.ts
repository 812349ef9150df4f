declare module '../shared/job-queue.js' {
  interface JobPayloads {
    /** The daily reminder of a locality; `force` runs it before the reminder time (an admin's "send now"). */
    'mealsets.send-reminders': { locality: string; force?: boolean };
  }
}

export {};
