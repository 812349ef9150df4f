import Router from '@koa/router';
import type { Metrics } from '../../platform/metrics.js';
import type { Readiness } from '../../platform/readiness.js';
import { DOCS_HTML } from '../openapi.js';

/** Liveness, readiness, metrics and the API description (outside /api/v1, no auth). */
export interface ApiDocuments {
  openApi: object;
  /** The socket contract's AsyncAPI document (built by the realtime adapter). */
  asyncApi: object;
}

export function platformRouter(platform: { metrics: Metrics; readiness: () => Promise<Readiness> }, documents: ApiDocuments): Router {
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
  router.get('/metrics', async (ctx) => {
    ctx.type = platform.metrics.registry.contentType;
    ctx.body = await platform.metrics.registry.metrics();
  });
  router.get('/openapi.json', (ctx) => {
    ctx.body = documents.openApi;
  });
  router.get('/asyncapi.json', (ctx) => {
    ctx.body = documents.asyncApi;
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'text/html';
    ctx.body = DOCS_HTML;
  });
  return router;
}
