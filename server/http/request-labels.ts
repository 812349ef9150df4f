import type { Context } from 'koa';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

interface RoutedContext {
  _matchedRoute?: unknown;
  matched?: Array<{ path: unknown; methods: string[] }>;
}

/**
 * Metric labels of a request, each from a fixed set so no client can grow the series count (issue #15):
 * the route template that matched (also for OPTIONS and 405 answers, whose path matched a route of
 * another method), else `unmatched`; a standard method, else `OTHER`; the status code.
 */
export function requestLabels(ctx: Context): { method: string; route: string; status: string } {
  const routed = ctx as unknown as RoutedContext;
  const template = typeof routed._matchedRoute === 'string' ? routed._matchedRoute : routed.matched?.findLast((l) => l.methods.length > 0)?.path;
  return {
    method: METHODS.has(ctx.method) ? ctx.method : 'OTHER',
    route: typeof template === 'string' ? template : 'unmatched',
    status: ctx.status >= 100 && ctx.status <= 599 ? String(ctx.status) : 'other',
  };
}
