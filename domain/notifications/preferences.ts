import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserDirectory } from '../identity/index.js';
import type { LocalitiesService } from '../localities/index.js';
import type { Clock } from '../shared/clock.js';
import type { NotificationPreferencesInput, NotificationPreferencesOutput } from './notifications.schemas.js';

/** In-app always; push on by default (it only reaches registered devices); e-mail and SMS are opt-in. */
export const DEFAULT_PREFERENCES: NotificationPreferencesOutput = { email: false, sms: false, push: true, quietHours: null };

interface Row {
  email: boolean;
  sms: boolean;
  push: boolean;
  quiet_from: string | null;
  quiet_to: string | null;
  quiet_time_zone: string | null;
}

export interface PreferencesDeps {
  em: EntityManager;
  clock: Clock;
  users: Pick<UserDirectory, 'locality'>;
  localities: Pick<LocalitiesService, 'find'>;
}

/** A user's channel preferences and quiet hours. */
export class NotificationPreferences {
  constructor(private readonly d: PreferencesDeps) {}

  async get(userId: string): Promise<NotificationPreferencesOutput> {
    const [row] = await this.d.em.execute<Row[]>(
      `select email, sms, push, quiet_from, quiet_to, quiet_time_zone from notification_preferences where user_id = ?`,
      [userId],
    );
    return row ? toOutput(row) : DEFAULT_PREFERENCES;
  }

  /**
   * Replaces them. Quiet hours without a time zone are read in the user's locality's zone (UTC without
   * one), fixed when saved so that deferring a delivery needs no look-up.
   */
  async replace(userId: string, input: NotificationPreferencesInput): Promise<NotificationPreferencesOutput> {
    const quiet = input.quietHours ? { ...input.quietHours, timeZone: input.quietHours.timeZone ?? (await this.homeTimeZone(userId)) } : null;
    const [row] = await this.d.em.execute<Row[]>(
      `insert into notification_preferences (user_id, email, sms, push, quiet_from, quiet_to, quiet_time_zone, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (user_id) do update set email = excluded.email, sms = excluded.sms, push = excluded.push, quiet_from = excluded.quiet_from,
         quiet_to = excluded.quiet_to, quiet_time_zone = excluded.quiet_time_zone, updated_at = excluded.updated_at
       returning email, sms, push, quiet_from, quiet_to, quiet_time_zone`,
      [userId, input.email, input.sms, input.push, quiet?.from ?? null, quiet?.to ?? null, quiet?.timeZone ?? null, this.d.clock.now()],
    );
    return toOutput(row);
  }

  private async homeTimeZone(userId: string): Promise<string> {
    const slug = await this.d.users.locality(userId);
    return (slug && (await this.d.localities.find(slug))?.timeZone) || 'UTC';
  }
}

function toOutput(r: Row): NotificationPreferencesOutput {
  return {
    email: r.email,
    sms: r.sms,
    push: r.push,
    quietHours: r.quiet_from && r.quiet_to ? { from: r.quiet_from, to: r.quiet_to, timeZone: r.quiet_time_zone ?? 'UTC' } : null,
  };
}
