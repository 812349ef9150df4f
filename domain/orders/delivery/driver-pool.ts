import type { Redis } from 'ioredis';
import { defineScripts, keyPrefixOf, luaLoader } from '../../shared/redis-scripts.js';
import type { DriverStateOutput } from '../orders.schemas.js';

/** A driver's live state: availability, position, the order assigned, whether it is out for delivery. */
export type DriverState = DriverStateOutput;

const keys = {
  idle: (locality: string) => `drivers:idle:${normalizeLocality(locality)}`,
  driver: (driverId: string) => `driver:${driverId}`,
};

export function normalizeLocality(locality: string): string {
  return locality.trim().toLowerCase();
}

interface DriverScripts {
  claimNearestDriver(idle: string, lng: number, lat: number, radiusM: number, prefix: string, orderId: string): Promise<[string, string] | null>;
  refreshIdleDriver(driver: string, prefix: string, driverId: string): Promise<number>;
}

const lua = luaLoader(import.meta.url);

/**
 * Drivers' live state in Redis: a hash per driver and, per locality, a GEO set holding exactly the
 * drivers who are available, located and not assigned. Claiming removes a driver from the set
 * atomically (Lua), so any number of instances can assign at once.
 */
export class DriverPool {
  private readonly scripts: DriverScripts;

  constructor(private readonly redis: Redis) {
    this.scripts = defineScripts<DriverScripts>(redis, {
      claimNearestDriver: { numberOfKeys: 1, lua: lua('claim-nearest') },
      refreshIdleDriver: { numberOfKeys: 1, lua: lua('refresh-idle') },
    });
  }

  async state(driverId: string): Promise<DriverState> {
    const h = await this.redis.hgetall(keys.driver(driverId));
    return {
      locality: h.locality || null,
      lat: h.lat ? Number(h.lat) : null,
      lng: h.lng ? Number(h.lng) : null,
      available: h.available === '1',
      orderId: h.orderId || null,
      delivering: h.delivering === '1',
    };
  }

  async setAvailability(driverId: string, available: boolean, locality: string): Promise<DriverState> {
    const before = await this.state(driverId);
    const multi = this.redis.multi().hset(keys.driver(driverId), { available: available ? '1' : '0', locality: normalizeLocality(locality) });
    if (before.locality && before.locality !== normalizeLocality(locality)) multi.zrem(keys.idle(before.locality), driverId);
    await multi.exec();
    return this.refreshIdle(driverId);
  }

  async setLocation(driverId: string, lat: number, lng: number): Promise<DriverState> {
    await this.redis.hset(keys.driver(driverId), { lat: String(lat), lng: String(lng) });
    return this.refreshIdle(driverId);
  }

  /** Takes the nearest idle driver within `radiusM` of the point for the order, or null. */
  async claimNearest(orderId: string, locality: string, lat: number, lng: number, radiusM: number): Promise<{ driverId: string; distanceM: number } | null> {
    const found = await this.scripts.claimNearestDriver(keys.idle(locality), lng, lat, radiusM, this.prefix, orderId);
    return found ? { driverId: found[0], distanceM: Number(found[1]) } : null;
  }

  async startDelivering(driverId: string, orderId: string): Promise<void> {
    await this.redis.hset(keys.driver(driverId), { orderId, delivering: '1' });
  }

  /**
   * The driver is done with `orderId` (delivered, cancelled, or a claim that lost its order): back to
   * the idle set if still available. A driver holds one order at a time, so a release never races
   * with the next assignment of the same driver.
   */
  async release(driverId: string, orderId: string): Promise<DriverState> {
    if ((await this.redis.hget(keys.driver(driverId), 'orderId')) === orderId) await this.redis.hdel(keys.driver(driverId), 'orderId', 'delivering');
    return this.refreshIdle(driverId);
  }

  private async refreshIdle(driverId: string): Promise<DriverState> {
    await this.scripts.refreshIdleDriver(keys.driver(driverId), this.prefix, driverId);
    return this.state(driverId);
  }

  private get prefix(): string {
    return keyPrefixOf(this.redis);
  }
}
