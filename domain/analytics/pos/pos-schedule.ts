import type { Clock } from '../../shared/clock.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';

const CLAIM_BATCH = 500;

/**
 * The 12-hour rhythm of every connection, kept in its `next_run_at`: a tick (every minute, any worker)
 * claims the connections whose slot has come, moves each slot on by whole intervals (so an outage, a
 * stopped worker or a failed run never shifts the rhythm) and emits `pos.sync_due` in the same
 * transaction; its durable consumer queues the sync job. Connections waiting for a new token are moved
 * on without a sync.
 */
export class PosSchedule {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  /** Claims the due connections; returns how many syncs were made due. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    const seconds = this.intervalMs / 1000;
    return this.uow.run(async (tx, emit) => {
      const due = await tx.execute<Array<{ id: string; merchant_id: string; slot: Date; status: string }>>(
        `with due as (
           select id, next_run_at from analytics_pos_connections where next_run_at <= ? order by next_run_at limit ? for update skip locked
         )
         update analytics_pos_connections c
         set next_run_at = due.next_run_at + make_interval(secs => ? * (floor(extract(epoch from (?::timestamptz - due.next_run_at)) / ?) + 1))
         from due where c.id = due.id
         returning c.id, c.merchant_id, due.next_run_at as slot, c.status`,
        [now, CLAIM_BATCH, seconds, now, seconds],
      );
      const syncable = due.filter((d) => d.status !== 'needs_reauth');
      for (const d of syncable) emit('pos.sync_due', { merchantId: d.merchant_id, connectionId: d.id, slot: new Date(d.slot).toISOString() });
      return syncable.length;
    });
  }
}
