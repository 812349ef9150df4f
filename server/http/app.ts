import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import { RequestContext } from '@mikro-orm/core';
import type { Container } from '../container.js';
import { logContext } from '../logger.js';
import { respondWithProblem } from './problem.js';
import { Api } from './api.js';
import { platformRouter } from './routes/platform.js';
import { registerRoutes } from './routes/index.js';
import { buildOpenApiDocument } from './openapi.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The Koa application: request id + logs, metrics, problem+json errors, a unit of work per request, routers. */
export function createHttpApp(container: Container): Koa {
  const { deps, metrics } = container;
  const app = new Koa({ proxy: deps.config.trustProxy });
  const api = new Api(deps.tokens);
  registerRoutes(api, container);
  const openApi = buildOpenApiDocument(api.registry, deps.config.publicUrl);

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
        if (!expected) deps.log.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? (ctx.status === 404 ? 'unmatched' : ctx.path);
      metrics.httpRequests.inc({ method: ctx.method, route, status: String(ctx.status) });
      metrics.httpDuration.observe({ method: ctx.method, route }, seconds);
      deps.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(seconds * 1000) }, 'request');
    });
  });
  app.use((ctx, next) => RequestContext.create(deps.orm.em, next));
  app.use(platformRouter(container, openApi).routes());
  app.use(api.router.routes());
  app.use(api.router.allowedMethods());
  app.use((ctx) => {
    respondWithProblem(ctx, Object.assign(new Error(`No route for ${ctx.method} ${ctx.path}`), { status: 404, expose: true }));
  });
  return app;
}
