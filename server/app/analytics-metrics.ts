import type { EventBus } from '../../domain/shared/event-bus.js';
import type { Metrics } from '../platform/metrics.js';

/**
 * Failed POS syncs and simulations counted by reason (`larder_analytics_failures_total`): the domain
 * emits the failures as events and never sees the metrics; the process that ran the sync counts them.
 */
export function countAnalyticsFailures(events: EventBus, metrics: Metrics): void {
  events.subscribe('pos.sync_failed', ({ reason }) => metrics.analyticsFailures.inc({ kind: 'pos_sync', reason }));
  events.subscribe('simulation.failed', ({ reason }) => metrics.analyticsFailures.inc({ kind: 'simulation', reason }));
}
