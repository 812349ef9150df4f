import type { CatalogModule } from '../catalog/index.js';
import type { ModuleDeps } from '../shared/module-deps.js';
import { AnalyticsSettingsStore } from './analytics-settings.js';
import { DayItemRollup } from './menu/day-rollup.js';
import { MenuAnalysisService } from './menu/menu-analysis.js';
import { MenuCache } from './menu/menu-cache.js';
import { MenuItems, type OwnedProducts } from './menu-items.js';
import { PosConnections } from './pos/pos-connections.js';
import { PosSchedule } from './pos/pos-schedule.js';
import { PosSync } from './pos/pos-sync.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './pos/retry-policy.js';
import { SquareClient } from './pos/square-client.js';
import { TokenCipher } from './pos/token-cipher.js';
import { SimulationJobRunner } from './simulation/simulation-job.js';
import { SimulationRunner } from './simulation/simulation-runner.js';
import { Simulations } from './simulation/simulations.js';
import type { ImportType } from '../imports/index.js';
import { transactionImportType } from './transactions/transaction-import.js';
import type { ImportedLine } from './transactions/transaction-rows.js';
import { TransactionStore } from './transactions/transaction-store.js';
import './analytics.events.js';
import './analytics.jobs.js';

export * from './analytics.schemas.js';
export { POS_FAILURE_REASONS, SIMULATION_FAILURE_REASONS, type PosFailureReason, type SimulationFailureReason } from './analytics.events.js';
export { AnalyticsSettings, AnalyticsItem } from './analytics-settings.entity.js';
export { PosConnection, PosSyncRun } from './pos-connection.entity.js';
export { Simulation } from './simulation.entity.js';
export { TRANSACTION_SHAPES, type TransactionShape } from './transactions/transaction-columns.js';
export type { CsvRow, ImportedLine, RowOutcome, TransactionRecord, TransactionRowValidator } from './transactions/transaction-rows.js';
export type { UpsertCounts } from './transactions/transaction-store.js';
export type { SyncReport } from './pos/pos-sync.js';
export type { RetryPolicy } from './pos/retry-policy.js';

/** Menu analytics: POS transactions (CSV import type, Square sync), menu engineering, simulations. */
export interface AnalyticsModule {
  settings: AnalyticsSettingsStore;
  items: MenuItems;
  /** The `transactions` type of the generic CSV import pipeline (registered with it by the composition root). */
  transactionsImport: ImportType<ImportedLine>;
  pos: PosConnections;
  posSync: PosSync;
  posSchedule: PosSchedule;
  menu: MenuAnalysisService;
  simulations: Simulations;
  simulationJobs: SimulationJobRunner;
}

export interface AnalyticsDeps {
  catalog: Pick<CatalogModule, 'forSale'>;
}

export interface AnalyticsModuleSettings {
  /** 32-byte AES-256-GCM key for POS tokens at rest; without it POS connections are refused. */
  posTokenKey?: Buffer;
  /** POS API origins a connection may name (an entry without a port allows any port of its host). */
  posAllowedBaseUrls: string[];
  posSyncIntervalMs?: number;
  posBackfillDays?: number;
  posPageSize?: number;
  posRetry?: RetryPolicy;
  /** How often a running simulation stores its progress and looks for a cancel. */
  simulationPollMs?: number;
}

const HOUR_MS = 3_600_000;

/** Builds the analytics module. Cached analyses are dropped by every transactions or settings change, whoever made it. */
export function createAnalyticsModule(deps: ModuleDeps, { catalog }: AnalyticsDeps, settings: AnalyticsModuleSettings): AnalyticsModule {
  const { em, uow, clock, jobs, log, events, redis } = deps;
  const intervalMs = settings.posSyncIntervalMs ?? 12 * HOUR_MS;
  const cipher = settings.posTokenKey ? new TokenCipher(settings.posTokenKey) : undefined;
  const store = new TransactionStore();
  const analyticsSettings = new AnalyticsSettingsStore(em, uow, clock);
  const items = new MenuItems(em, uow, clock, ownedProducts(catalog));
  const cache = new MenuCache(redis);
  const rollup = new DayItemRollup(uow);
  // The rollups are brought up to date once an import or a sync has written its lines, so the first
  // analysis after it reads days, not lines (an analysis also refreshes what is still dirty itself).
  const refreshRollup = async (merchantId: string) => {
    try {
      await rollup.refresh(merchantId, (await analyticsSettings.get(merchantId)).timeZone);
    } catch (err) {
      log.warn({ err, merchantId }, 'analytics rollup refresh failed; the next analysis refreshes it');
    }
  };
  events.subscribe('transactions.imported', ({ merchantId, rowsUpserted }) => (rowsUpserted > 0 ? refreshRollup(merchantId) : undefined));
  const forget = ({ merchantId }: { merchantId: string }) => cache.invalidate(merchantId);
  events.subscribe('analytics.transactions_changed', forget);
  events.subscribe('analytics.settings_changed', forget);
  deps.outbox.consume('pos.sync_due', 'analytics.queue-pos-sync', async ({ payload }) => {
    await jobs.enqueue('analytics.pos-sync', { connectionId: payload.connectionId, trigger: 'schedule' });
  });
  const client = new SquareClient(settings.posRetry ?? DEFAULT_RETRY_POLICY, clock, log);
  return {
    settings: analyticsSettings,
    items,
    transactionsImport: transactionImportType(em, store),
    pos: new PosConnections(em, uow, clock, jobs, {
      cipher,
      allowedBaseUrls: settings.posAllowedBaseUrls,
      intervalMs,
      backfillDays: settings.posBackfillDays ?? 365,
    }),
    posSync: new PosSync({
      em,
      uow,
      clock,
      log,
      jobs,
      client,
      store,
      cipher,
      pageSize: settings.posPageSize ?? 500,
      overlapMs: HOUR_MS,
      retryDelaysMs: [5 * 60_000, 30 * 60_000],
      synced: refreshRollup,
    }),
    posSchedule: new PosSchedule(uow, clock, intervalMs),
    menu: new MenuAnalysisService(em, analyticsSettings, cache, rollup, log),
    simulations: new Simulations(em, uow, clock, jobs, analyticsSettings),
    simulationJobs: new SimulationJobRunner({
      em,
      uow,
      events,
      clock,
      log,
      settings: analyticsSettings,
      rollup,
      runner: new SimulationRunner(),
      pollMs: settings.simulationPollMs ?? 500,
    }),
  };
}

/** Which products belong to the merchant, read through the catalog's products-for-sale interface. */
function ownedProducts(catalog: AnalyticsDeps['catalog']): OwnedProducts {
  return async (merchantId, ids) => {
    const found = await catalog.forSale.find(ids);
    return new Set([...found.values()].filter((p) => p.merchantId === merchantId).map((p) => p.id));
  };
}
