import { defineJob } from '../job-definition.js';

/**
 * A locality's daily meal-set reminder (scheduled per locality at its reminder time in its time zone,
 * see domain/mealsets/reminders). Progress goes to the log and metrics after every batch; the lock is
 * extended as batches complete, so a long run is not taken over by another worker.
 */
export const sendMealSetReminders = defineJob({
  name: 'mealsets.send-reminders',
  concurrency: 2,
  lockLifetimeMs: 5 * 60_000,
  backoff: ({ attempt }) => (attempt <= 3 ? 30_000 * attempt : null),
  async handler({ locality, force }, { modules, log, metrics, touch }) {
    let counted = { reminded: 0, alreadyOrdered: 0 };
    const outcome = await modules.mealsets.reminders.run(locality, {
      force,
      async onBatch(progress) {
        metrics.reminderCustomers.inc({ locality, outcome: 'reminded' }, progress.reminded - counted.reminded);
        metrics.reminderCustomers.inc({ locality, outcome: 'already_ordered' }, progress.alreadyOrdered - counted.alreadyOrdered);
        counted = { reminded: progress.reminded, alreadyOrdered: progress.alreadyOrdered };
        log.info(progress, 'meal-set reminder batch');
        await touch();
      },
    });
    metrics.reminderRuns.inc({ locality, outcome: outcome.status === 'completed' ? 'completed' : outcome.reason });
    log.info(outcome, 'meal-set reminder run finished');
  },
});
