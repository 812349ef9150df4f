import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process: its own registry, so several app instances in a test do not collide. */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'larder_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'larder_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly socketConnections = new Gauge({
    name: 'larder_socket_connections',
    help: 'Open Socket.IO connections on this instance',
    registers: [this.registry],
  });

  readonly socketEvents = new Counter({
    name: 'larder_socket_events_total',
    help: 'Client-to-server socket events by event and outcome code',
    labelNames: ['event', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly socketDuration = new Histogram({
    name: 'larder_socket_event_duration_seconds',
    help: 'Socket event handling time until the ack, by event',
    labelNames: ['event'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly jobRuns = new Counter({
    name: 'larder_job_runs_total',
    help: 'Background job runs by job name and outcome',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly outboxConsumers = new Counter({
    name: 'larder_outbox_consumer_runs_total',
    help: 'Outbox consumer runs by consumer and outcome',
    labelNames: ['consumer', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly notificationsCreated = new Counter({
    name: 'larder_notifications_created_total',
    help: 'Notifications created, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly notificationDeliveries = new Counter({
    name: 'larder_notification_deliveries_total',
    help: 'E-mail, SMS and push deliveries of notifications by channel and outcome (sent, skipped, retry, failed)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly reminderCustomers = new Counter({
    name: 'larder_reminder_customers_total',
    help: 'Customers judged by meal-set reminder runs, by locality and outcome (reminded, already_ordered)',
    labelNames: ['locality', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly reminderRuns = new Counter({
    name: 'larder_reminder_runs_total',
    help: 'Meal-set reminder runs by locality and outcome (completed or the reason skipped)',
    labelNames: ['locality', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly analyticsFailures = new Counter({
    name: 'larder_analytics_failures_total',
    help: 'Failed POS syncs and simulations by kind and reason',
    labelNames: ['kind', 'reason'] as const,
    registers: [this.registry],
  });

  constructor(withDefaults: boolean) {
    if (withDefaults) collectDefaultMetrics({ register: this.registry, prefix: 'larder_' });
  }
}
