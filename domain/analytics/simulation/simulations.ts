import { randomInt, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../shared/app-error.js';
import type { Clock } from '../../shared/clock.js';
import type { JobQueue } from '../../shared/job-queue.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { AnalyticsSettingsStore } from '../analytics-settings.js';
import type { SimulationInput, SimulationView } from '../analytics.schemas.js';
import { sql } from '../../shared/sql.js';
import { isoOrNull } from '../iso-time.js';
import { periodFilter } from '../period-sql.js';
import { Simulation } from '../simulation.entity.js';

/**
 * POST/GET/DELETE /analytics/simulations: a request is checked (its items exist, its period has
 * sales), stored as `queued` with its seed (drawn when not given, so any result can be reproduced) and
 * handed to the `analytics.simulate` job (SimulationJobRunner). Cancelling marks it `cancelled` at once;
 * a running job sees that within half a second and stops its thread.
 */
export class Simulations {
  constructor(
    private readonly em: EntityManager,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    private readonly settings: AnalyticsSettingsStore,
  ) {}

  async create(merchantId: string, input: SimulationInput): Promise<{ id: string; status: 'queued' }> {
    await this.assertItems(merchantId, input.changes);
    await this.assertSales(merchantId, input);
    const id = randomUUID();
    const seed = input.seed ?? randomInt(0, 2 ** 32 - 1);
    await this.uow.run(async (tx) => {
      tx.create(Simulation, {
        id,
        merchantId,
        status: 'queued',
        request: { ...input, seed },
        seed,
        runs: input.runs,
        runsDone: 0,
        createdAt: this.clock.now(),
      });
      await tx.flush();
    });
    await this.jobs.enqueue('analytics.simulate', { simulationId: id });
    return { id, status: 'queued' };
  }

  async view(merchantId: string, id: string): Promise<SimulationView> {
    const row = await this.em.fork().findOne(Simulation, { id, merchantId });
    if (!row) throw new AppError('NOT_FOUND', 'No such simulation');
    return toSimulationView(row);
  }

  async cancel(merchantId: string, id: string): Promise<SimulationView> {
    const cancelled = await this.uow.run(async (tx, emit) => {
      const rows = await tx.execute<Array<{ id: string }>>(
        `update analytics_simulations set status = 'cancelled', finished_at = ? where id = ? and merchant_id = ? and status in ('queued', 'running') returning id`,
        [this.clock.now(), id, merchantId],
      );
      if (rows.length) emit('simulation.finished', { simulationId: id, merchantId, status: 'cancelled', result: null, error: null });
      return rows.length > 0;
    });
    const view = await this.view(merchantId, id);
    if (!cancelled) throw new AppError('CONFLICT', `The simulation is already ${view.status}`, { status: view.status });
    return view;
  }

  private async assertItems(merchantId: string, changes: SimulationInput['changes']): Promise<void> {
    if (changes.length === 0) return;
    const rows = await this.em.execute<Array<{ name: string }>>(`select name from analytics_items where merchant_id = ? and name in (?)`, [
      merchantId,
      changes.map((c) => c.item),
    ]);
    const known = new Set(rows.map((r) => r.name));
    const errors = changes.flatMap((c, i) => (known.has(c.item) ? [] : [{ path: `changes.${i}.item`, message: 'is not an item of your transactions' }]));
    if (errors.length) throw AppError.validation(errors);
  }

  private async assertSales(merchantId: string, input: SimulationInput): Promise<void> {
    const filter = periodFilter({ merchantId, from: input.from, to: input.to }, (await this.settings.get(merchantId)).timeZone);
    const query = sql`select exists (select 1 from analytics_transactions l where ${filter}) as found`;
    const [row] = await this.em.execute<Array<{ found: boolean }>>(query.text, [...query.params]);
    if (!row.found) throw AppError.validation([{ path: input.from ? 'from' : 'to', message: 'no transactions in this period' }]);
  }
}

/** The API's view of a stored simulation. */
export function toSimulationView(row: Simulation): SimulationView {
  return {
    id: row.id,
    status: row.status,
    runs: row.runs,
    runsDone: row.runsDone,
    seed: Number(row.seed),
    error: row.error ?? null,
    result: row.result ?? null,
    createdAt: row.createdAt.toISOString(),
    startedAt: isoOrNull(row.startedAt),
    finishedAt: isoOrNull(row.finishedAt),
  };
}
