import { defineJob } from '../job-definition.js';

/** Retry schedule for mail: 10 s, 1 min, 5 min, 30 min, 2 h, then give up (the failure stays logged). */
const RETRY_DELAYS_MS = [10_000, 60_000, 300_000, 1_800_000, 7_200_000];

export const sendMail = defineJob({
  name: 'mail.send',
  concurrency: 5,
  backoff: ({ attempt }) => RETRY_DELAYS_MS[attempt - 1] ?? null,
  async handler(message, { modules }) {
    await modules.mail.send(message);
  },
});
