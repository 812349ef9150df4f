import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import { RequestContext } from '@mikro-orm/core';
import type { AppContext } from '../platform/app-context.js';
import { logContext } from '../platform/logger.js';
import type { Readiness } from '../platform/readiness.js';
import { respondWithProblem } from './problem.js';
import { Api } from './api.js';
import { filesRouter } from './routes/files.js';
import { platformRouter } from './routes/platform.js';
import { registerRoutes } from './routes/index.js';
import { buildOpenApiDocument } from './openapi.js';
import { docsRouter } from './docs-page.js';
import { requestLabels } from './request-labels.js';
import { securityHeaders } from './security-headers.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The Koa application: request id + logs, metrics, problem+json errors, a unit of work per request, routers. */
export function createHttpApp(context: AppContext, readiness: () => Promise<Readiness>, asyncApi: object): Koa {
  const { config, log, metrics, orm, modules } = context;
  const app = new Koa({ proxy: config.trustProxy });
  const api = new Api(modules.identity.actors);
  registerRoutes(api, modules);
  const openApi = buildOpenApiDocument(api.registry, config.publicUrl);
  const metricsExposure = config.metricsPort === undefined ? { public: true as const, token: config.metricsToken } : { public: false as const };

  app.use(securityHeaders(config.publicUrl));
  app.use(async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const reqId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.reqId = reqId;
    ctx.set('X-Request-Id', reqId);
    const started = process.hrtime.bigint();
    await logContext.run({ reqId }, async () => {
      try {
        await next();
      } catch (err) {
        const { expected } = respondWithProblem(ctx, err);
        if (!expected) log.error({ err, method: ctx.method, path: ctx.path.slice(0, 200) }, 'request failed');
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = requestLabels(ctx);
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe({ method: labels.method, route: labels.route }, seconds);
      log.info({ method: labels.method, path: ctx.path.slice(0, 200), status: ctx.status, ms: Math.round(seconds * 1000) }, 'request');
    });
  });
  app.use((_ctx, next) => RequestContext.create(orm.em, next));
  app.use(platformRouter({ metrics, readiness, metricsExposure }, { openApi, asyncApi }).routes());
  app.use(docsRouter().routes());
  app.use(filesRouter(context.storage).routes());
  app.use(api.router.routes());
  app.use(api.router.allowedMethods());
  app.use((ctx) => {
    respondWithProblem(ctx, Object.assign(new Error(`No route for ${ctx.method} ${ctx.path}`), { status: 404, expose: true }));
  });
  return app;
}
