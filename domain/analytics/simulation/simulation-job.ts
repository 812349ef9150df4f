import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { AnalyticsSettingsStore } from '../analytics-settings.js';
import type { SimulationFailureReason } from '../analytics.events.js';
import type { SimulationInput, SimulationResult } from '../analytics.schemas.js';
import type { DayItemRollup } from '../menu/day-rollup.js';
import { loadSimulationHistory } from './simulation-history.js';
import { buildPlan } from './simulation-model.js';
import { SimulationThreadError, type SimulationRunner } from './simulation-runner.js';

export interface SimulationJobDeps {
  em: EntityManager;
  uow: UnitOfWork;
  events: EventBus;
  clock: Clock;
  log: Logger;
  settings: AnalyticsSettingsStore;
  /** The daily rollup the history is read from. */
  rollup: DayItemRollup;
  runner: SimulationRunner;
  /** How often the job stores runs done and looks for a cancel. */
  pollMs: number;
}

interface Claimed {
  merchant_id: string;
  request: SimulationInput;
  seed: string;
  runs: number;
}

const TOUCH_EVERY_MS = 60_000;

/**
 * The `analytics.simulate` job: claims a queued simulation (or one whose worker died while running),
 * loads its history, runs it on a worker thread while relaying progress (`simulation.progress`, several
 * times a second) and watching for a cancel, then stores the result as JSON and emits
 * `simulation.finished`. A failure is stored and emitted as `simulation.failed` too.
 */
export class SimulationJobRunner {
  constructor(private readonly deps: SimulationJobDeps) {}

  async execute(simulationId: string, touch: () => Promise<void> = async () => {}): Promise<void> {
    const claimed = await this.claim(simulationId);
    if (!claimed) return;
    const merchantId = claimed.merchant_id;
    try {
      const settings = await this.deps.settings.get(merchantId);
      const period = { merchantId, from: claimed.request.from, to: claimed.request.to };
      const history = await loadSimulationHistory(this.deps.em.fork(), this.deps.rollup, period, settings);
      if (!history) throw new Error('The period has no sales any more');
      const { changes, elasticity, substitution } = claimed.request;
      const job = { history, plan: buildPlan(history.items, changes, elasticity, substitution), runs: claimed.runs, seed: Number(claimed.seed) };
      const result = await this.watched(simulationId, merchantId, claimed.runs, touch, (onProgress, signal) => this.deps.runner.run(job, onProgress, signal));
      if (result) await this.complete(simulationId, merchantId, result);
    } catch (err) {
      const reason: SimulationFailureReason = err instanceof SimulationThreadError ? 'worker_crashed' : 'internal';
      this.deps.log.error({ err, simulationId }, 'simulation failed');
      await this.fail(simulationId, merchantId, reason, (err as Error).message);
    }
  }

  private async claim(id: string): Promise<Claimed | null> {
    const [row] = await this.deps.em.execute<Claimed[]>(
      `update analytics_simulations set status = 'running', started_at = coalesce(started_at, ?), runs_done = 0
       where id = ? and status in ('queued', 'running') returning merchant_id, request, seed, runs`,
      [this.deps.clock.now(), id],
    );
    return row ?? null;
  }

  /** Runs `work`, relaying progress and polling for a cancel; null when it was cancelled. */
  private async watched(
    id: string,
    merchantId: string,
    runs: number,
    touch: () => Promise<void>,
    work: (onProgress: (runsDone: number) => void, signal: AbortSignal) => Promise<SimulationResult>,
  ): Promise<SimulationResult | null> {
    const controller = new AbortController();
    let runsDone = 0;
    let touched = Date.now();
    const poll = setInterval(() => {
      void this.stillRunning(id, runsDone).then((running) => {
        if (!running) controller.abort(new Error('cancelled'));
      });
      if (Date.now() - touched >= TOUCH_EVERY_MS) {
        touched = Date.now();
        void touch().catch(() => {});
      }
    }, this.deps.pollMs);
    const onProgress = (done: number) => {
      runsDone = done;
      void this.deps.events.publish('simulation.progress', { simulationId: id, merchantId, runsDone: done, runs });
    };
    try {
      onProgress(0);
      return await work(onProgress, controller.signal);
    } catch (err) {
      if (controller.signal.aborted) return null;
      throw err;
    } finally {
      clearInterval(poll);
    }
  }

  private async stillRunning(id: string, runsDone: number): Promise<boolean> {
    try {
      const rows = await this.deps.em
        .fork()
        .execute(`update analytics_simulations set runs_done = ? where id = ? and status = 'running' returning id`, [runsDone, id]);
      return rows.length > 0;
    } catch (err) {
      this.deps.log.warn({ err, simulationId: id }, 'simulation progress not stored');
      return true;
    }
  }

  private async complete(id: string, merchantId: string, result: SimulationResult): Promise<void> {
    await this.deps.uow.run(async (tx, emit) => {
      const rows = await tx.execute(
        `update analytics_simulations set status = 'completed', result = ?, runs_done = runs, finished_at = ? where id = ? and status = 'running' returning id`,
        [JSON.stringify(result), this.deps.clock.now(), id],
      );
      if (rows.length) emit('simulation.finished', { simulationId: id, merchantId, status: 'completed', result, error: null });
    });
  }

  private async fail(id: string, merchantId: string, reason: SimulationFailureReason, message: string): Promise<void> {
    await this.deps.uow.run(async (tx, emit) => {
      const rows = await tx.execute(
        `update analytics_simulations set status = 'failed', error = ?, finished_at = ? where id = ? and status = 'running' returning id`,
        [message.slice(0, 500), this.deps.clock.now(), id],
      );
      if (!rows.length) return;
      emit('simulation.failed', { merchantId, simulationId: id, reason, message });
      emit('simulation.finished', { simulationId: id, merchantId, status: 'failed', result: null, error: message });
    });
  }
}
