import Router from '@koa/router';
import type { Metrics } from '../../platform/metrics.js';
import type { Readiness } from '../../platform/readiness.js';
import { serveMetrics } from '../metrics-endpoint.js';

/** Liveness, readiness, metrics and the API description (outside /api/v1, no auth). */
export interface ApiDocuments {
  openApi: object;
  /** The socket contract's AsyncAPI document (built by the realtime adapter). */
  asyncApi: object;
}

/** Where /metrics is answered: here (with or without a bearer token), or not at all (METRICS_PORT serves it). */
export type MetricsExposure = { public: false } | { public: true; token?: string };

export function platformRouter(
  platform: { metrics: Metrics; readiness: () => Promise<Readiness>; metricsExposure: MetricsExposure },
  documents: ApiDocuments,
): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const { ready, checks } = await platform.readiness();
    const failing = Object.entries(checks)
      .filter(([, c]) => !c.ok)
      .map(([name]) => name);
    ctx.status = ready ? 200 : 503;
    ctx.body = ready ? { status: 'ready', checks } : { status: 'unavailable', failing, checks };
  });
  const exposure = platform.metricsExposure;
  if (exposure.public) router.get('/metrics', serveMetrics(platform.metrics, exposure.token));
  router.get('/openapi.json', (ctx) => {
    ctx.body = documents.openApi;
  });
  router.get('/asyncapi.json', (ctx) => {
    ctx.body = documents.asyncApi;
  });
  return router;
}
