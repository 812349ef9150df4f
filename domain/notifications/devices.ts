import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { DevicePlatform } from './notification.entity.js';
import type { DeviceInput, DeviceOutput } from './notifications.schemas.js';
import type { PushProviders } from './push/push-provider.js';

/** Devices kept per user: registering one more forgets the least recently seen. */
export const MAX_DEVICES_PER_USER = 20;

export interface RegisteredDevice {
  id: string;
  platform: DevicePlatform;
  token: string;
}

/**
 * The device-token registry. A token is one device: registering it again (after another sign-in on
 * that phone) moves it to the caller, so a phone never receives a previous user's pushes.
 */
export class Devices {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
    private readonly providers: Pick<PushProviders, DevicePlatform>,
  ) {}

  async register(userId: string, input: DeviceInput): Promise<DeviceOutput> {
    const problem = this.providers[input.platform].invalidToken(input.token);
    if (problem) throw AppError.validation([{ path: 'token', message: problem }]);
    const now = this.clock.now();
    const [row] = await this.em.execute<Array<{ id: string; platform: DevicePlatform; created_at: Date }>>(
      `insert into devices (id, user_id, platform, token, created_at, last_seen_at) values (?, ?, ?, ?, ?, ?)
       on conflict (platform, token) do update set user_id = excluded.user_id, last_seen_at = excluded.last_seen_at
       returning id, platform, created_at`,
      [randomUUID(), userId, input.platform, input.token, now, now],
    );
    await this.em.execute(
      `delete from devices where user_id = ? and id not in (select id from devices where user_id = ? order by last_seen_at desc, id limit ?)`,
      [userId, userId, MAX_DEVICES_PER_USER],
    );
    return { id: row.id, platform: row.platform, createdAt: new Date(row.created_at).toISOString() };
  }

  /** Forgets one of the caller's devices (another user's is answered as missing). */
  async remove(userId: string, id: string): Promise<void> {
    const rows = await this.em.execute<Array<{ id: string }>>(`delete from devices where id = ? and user_id = ? returning id`, [id, userId]);
    if (rows.length === 0) throw new AppError('NOT_FOUND', 'No such device');
  }

  async ofUser(userId: string): Promise<RegisteredDevice[]> {
    return this.em.execute<RegisteredDevice[]>(`select id, platform, token from devices where user_id = ? order by last_seen_at desc`, [userId]);
  }

  /** Forgets a token its push service declared dead. */
  async forget(id: string): Promise<void> {
    await this.em.execute(`delete from devices where id = ?`, [id]);
  }
}
