import type { LocalitiesService, LocalityOutput } from '../../localities/index.js';
import { AppError } from '../../shared/app-error.js';
import type { JobQueue } from '../../shared/job-queue.js';
import { minutesOf } from '../../shared/time-zones.js';

/**
 * One recurring job per locality at its reminder time, read in its own time zone (so 10:30 stays
 * 10:30 local across daylight-saving changes). Kept in step with the localities: on every change
 * (an outbox consumer) and at worker start.
 */
export class ReminderSchedule {
  constructor(
    private readonly jobs: JobQueue,
    private readonly localities: Pick<LocalitiesService, 'all' | 'exists'>,
  ) {}

  async sync(locality: Pick<LocalityOutput, 'slug' | 'reminderAt' | 'timeZone'>): Promise<void> {
    const minutes = minutesOf(locality.reminderAt);
    await this.jobs.repeat(
      'mealsets.send-reminders',
      { locality: locality.slug },
      { key: `reminders:${locality.slug}`, cron: `${minutes % 60} ${Math.floor(minutes / 60)} * * *`, timeZone: locality.timeZone },
    );
  }

  /** Runs a locality's reminder now (an admin's "send now": before the reminder time too, never after the cut-off). */
  async sendNow(slug: string): Promise<{ jobId: string }> {
    if (!(await this.localities.exists(slug))) throw new AppError('NOT_FOUND', 'No such locality');
    return this.jobs.enqueue('mealsets.send-reminders', { locality: slug, force: true });
  }

  async syncAll(): Promise<number> {
    const all = await this.localities.all();
    for (const locality of all) await this.sync(locality);
    return all.length;
  }
}
