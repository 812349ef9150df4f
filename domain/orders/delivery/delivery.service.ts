import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { UserDirectory } from '../../identity/index.js';
import { AppError } from '../../shared/app-error.js';
import type { Clock } from '../../shared/clock.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import { loadOrder } from '../order-records.js';
import { merchantViews } from '../order-view.js';
import type { DeliveryAddress } from '../order.entity.js';
import type { DriverPool, DriverState } from './driver-pool.js';

export interface DeliveryDeps {
  em: EntityManager;
  uow: UnitOfWork;
  events: EventBus;
  clock: Clock;
  log: Logger;
  pool: DriverPool;
  users: Pick<UserDirectory, 'locality'>;
  localities: { exists(slug: string): Promise<boolean> };
  /** Straight-line travel speed used for the ETA. */
  speedKmh: number;
  /** Farthest driver considered for an order. */
  radiusM: number;
}

export interface DriverAvailability {
  available: boolean;
  locality?: string;
}

interface WaitingRow {
  id: string;
  locality: string | null;
  delivery_address: DeliveryAddress | null;
}

/**
 * Assigns ready orders to the nearest idle driver of their locality (greedy, straight-line distance)
 * and streams the driver's position to the order's watchers while it is out for delivery.
 */
export class DeliveryService {
  constructor(private readonly d: DeliveryDeps) {}

  async setAvailability(driverId: string, input: DriverAvailability): Promise<DriverState> {
    const locality = input.locality ?? (await this.d.users.locality(driverId));
    if (!locality) throw AppError.validation([{ path: 'locality', message: 'Give a locality (or set one on your profile)' }]);
    if (input.locality && !(await this.d.localities.exists(input.locality))) throw AppError.validation([{ path: 'locality', message: 'No such locality' }]);
    const state = await this.d.pool.setAvailability(driverId, input.available, locality);
    if (state.available && !state.orderId) await this.assignWaiting(state.locality!);
    return this.d.pool.state(driverId);
  }

  async reportLocation(driverId: string, lat: number, lng: number): Promise<DriverState> {
    const state = await this.d.pool.setLocation(driverId, lat, lng);
    if (state.orderId && !state.delivering) state.delivering = await this.pickedUp(driverId, state.orderId);
    if (state.orderId && state.delivering) {
      await this.d.events.publish('delivery.location', { orderId: state.orderId, lat, lng, at: this.d.clock.now().toISOString() });
    } else if (state.available && !state.orderId && state.locality) {
      await this.assignWaiting(state.locality);
    }
    return state;
  }

  /** Assigns every ready order still without a driver (oldest first); returns how many got one. */
  async assignWaiting(locality?: string, limit = 500): Promise<number> {
    const rows = await this.d.em.execute<WaitingRow[]>(
      `select id, locality, delivery_address from orders where status = 'ready' and driver_id is null
       ${locality ? 'and lower(locality) = ?' : ''} order by created_at limit ?`,
      locality ? [locality, limit] : [limit],
    );
    let assigned = 0;
    for (const row of rows) {
      const result = await this.tryAssign(row);
      if (result === 'assigned') assigned++;
      if (result === 'no-driver' && locality) break; // nobody idle left here
    }
    return assigned;
  }

  /** Assigns one order if it is ready, unassigned, has a delivery address, and a driver is idle nearby. */
  async assign(orderId: string): Promise<boolean> {
    const [row] = await this.d.em.execute<WaitingRow[]>(
      `select id, locality, delivery_address from orders where id = ? and status = 'ready' and driver_id is null`,
      [orderId],
    );
    return row ? (await this.tryAssign(row)) === 'assigned' : false;
  }

  async onStatusChanged(order: { id: string; status: string; driverId: string | null }): Promise<void> {
    if (order.status === 'ready') await this.assign(order.id);
    else if (order.status === 'out_for_delivery' && order.driverId) await this.d.pool.startDelivering(order.driverId, order.id);
    else if ((order.status === 'delivered' || order.status === 'cancelled') && order.driverId) {
      const state = await this.d.pool.release(order.driverId, order.id);
      if (state.available && state.locality) await this.assignWaiting(state.locality);
    }
  }

  private async tryAssign(row: WaitingRow): Promise<'assigned' | 'no-driver' | 'lost' | 'no-address'> {
    const address = row.delivery_address;
    if (!address || !row.locality) return 'no-address'; // collected at the counter: no driver needed
    const claim = await this.d.pool.claimNearest(row.id, row.locality, address.lat, address.lng, this.d.radiusM);
    if (!claim) return 'no-driver';
    const etaSeconds = Math.round(claim.distanceM / ((this.d.speedKmh * 1000) / 3600));
    const assigned = await this.d.uow.run(async (tx, emit) => {
      const updated = await tx.execute<Array<{ id: string }>>(
        `update orders set driver_id = ?, updated_at = ? where id = ? and status = 'ready' and driver_id is null returning id`,
        [claim.driverId, this.d.clock.now(), row.id],
      );
      if (updated.length === 0) return false;
      const record = (await loadOrder(tx, row.id))!;
      emit('order.driver_assigned', {
        order: record.view,
        merchantIds: record.merchantIds,
        merchantViews: merchantViews(record.order, record.items, record.history, record.merchantIds),
        driverId: claim.driverId,
        distanceM: Math.round(claim.distanceM),
        etaSeconds,
      });
      return true;
    });
    if (!assigned) {
      await this.d.pool.release(claim.driverId, row.id); // another instance assigned it (or it was cancelled) meanwhile
      return 'lost';
    }
    this.d.log.info({ orderId: row.id, driverId: claim.driverId, distanceM: claim.distanceM }, 'driver assigned');
    return 'assigned';
  }

  /**
   * Whether the driver's order is out for delivery. The pool learns it from the status change (an outbox
   * consumer, so a moment later); the database is asked meanwhile, so no position after pickup is lost.
   */
  private async pickedUp(driverId: string, orderId: string): Promise<boolean> {
    const [row] = await this.d.em.execute<Array<{ status: string }>>(`select status from orders where id = ? and driver_id = ?`, [orderId, driverId]);
    if (row?.status !== 'out_for_delivery') return false;
    await this.d.pool.startDelivering(driverId, orderId);
    return true;
  }
}
