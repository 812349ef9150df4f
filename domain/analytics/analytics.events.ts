import type { ImportSummary } from '../imports/index.js';
import type { SimulationResult } from './analytics.schemas.js';

/** Why a POS sync failed: a fixed set, so it can label a metric. */
export const POS_FAILURE_REASONS = ['unauthorized', 'rate_limited', 'upstream_error', 'network', 'bad_response', 'internal'] as const;
export type PosFailureReason = (typeof POS_FAILURE_REASONS)[number];

/** Why a simulation failed: a fixed set, so it can label a metric. */
export const SIMULATION_FAILURE_REASONS = ['worker_crashed', 'internal'] as const;
export type SimulationFailureReason = (typeof SIMULATION_FAILURE_REASONS)[number];

declare module '../shared/domain-events.js' {
  interface DomainEvents {
    /** Lines were inserted or changed (import batch, POS page): cached analyses of the merchant are stale. */
    'analytics.transactions_changed': { merchantId: string; source: 'csv' | 'square'; inserted: number; updated: number };
    /** One summary per transactions CSV import that wrote anything: never one event per line. */
    'transactions.imported': ImportSummary;
    /** Settings or item costs changed: cached analyses of the merchant are stale. */
    'analytics.settings_changed': { merchantId: string };
    /** A connection's 12-hour slot came (durable: its consumer queues the sync job, at least once). */
    'pos.sync_due': { merchantId: string; connectionId: string; slot: string };
    /** A POS sync run failed; `needsReauth` when the token was refused (the merchant must reconnect). */
    'pos.sync_failed': { merchantId: string; connectionId: string; reason: PosFailureReason; message: string; needsReauth: boolean };
    /** Ephemeral progress of a running simulation (published on the bus, never stored). */
    'simulation.progress': { simulationId: string; merchantId: string; runsDone: number; runs: number };
    /** A simulation ended: completed with its result, failed, or cancelled. */
    'simulation.finished': {
      simulationId: string;
      merchantId: string;
      status: 'completed' | 'failed' | 'cancelled';
      result: SimulationResult | null;
      error: string | null;
    };
    'simulation.failed': { merchantId: string; simulationId: string; reason: SimulationFailureReason; message: string };
  }
}
