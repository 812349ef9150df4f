import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa, { type Context } from 'koa';
import type { Metrics } from '../platform/metrics.js';
import { bearerToken } from './auth.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` in Prometheus text. With a token, only a request carrying `Authorization: Bearer
 * <token>` is answered (compared in constant time); anything else is 401 and learns nothing.
 */
export function serveMetrics(metrics: Metrics, token: string | undefined): (ctx: Context) => Promise<void> {
  const expected = token === undefined ? undefined : digest(token);
  return async (ctx) => {
    const presented = bearerToken(ctx);
    if (expected && !(presented && timingSafeEqual(digest(presented), expected))) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
      ctx.type = 'application/problem+json';
      ctx.body = { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'UNAUTHENTICATED', detail: 'Metrics need the METRICS_TOKEN bearer token' };
      return;
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  };
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** METRICS_PORT: /metrics alone on its own port (any process role), so the public port never serves it. */
export async function startMetricsServer(port: number, metrics: Metrics, token: string | undefined): Promise<MetricsServer> {
  const app = new Koa();
  const handler = serveMetrics(metrics, token);
  app.use(async (ctx) => {
    if (ctx.method === 'GET' && ctx.path === '/metrics') return handler(ctx);
    ctx.status = 404;
  });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
