import Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { parseInput } from '../../domain/shared/validate.js';
import type { ActorResolver } from '../../domain/identity/index.js';
import type { Actor } from '../../domain/shared/actor.js';
import { authorize, type AuthRule } from './auth.js';
import { readJsonBody } from './json-body.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Caller<A extends AuthRule> = A extends 'public' | 'optional' ? Actor | undefined : Actor;

export interface RouteInput<B, Q, P, A extends AuthRule> {
  body: B;
  query: Q;
  params: P;
  user: Caller<A>;
  ctx: Context;
}

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType, A extends AuthRule> {
  method: Method;
  /** Koa-style path under /api/v1, e.g. `/products/:id`. */
  path: string;
  summary: string;
  tags: string[];
  auth: A;
  body?: B;
  query?: Q;
  params?: P;
  /** A body the handler streams itself (uploads), documented as binary in these content types; never read here. */
  rawBody?: { contentTypes: string[]; description: string };
  /** Documented responses; the first one is the success status used when the handler returns a plain body. */
  responses: Record<number, ResponseDoc>;
  /** Returns the response body, or a Reply for a non-default status/headers, or undefined when it set ctx itself. */
  handler(input: RouteInput<z.output<B>, z.output<Q>, z.output<P>, A>): Promise<unknown>;
}

/** A response with an explicit status (and headers) instead of the route's default. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

function rawBodyDoc(raw: { contentTypes: string[]; description: string }) {
  const binary = { type: 'string' as const, format: 'binary' };
  return { description: raw.description, required: true, content: Object.fromEntries(raw.contentTypes.map((t) => [t, { schema: binary }])) };
}

const ERROR_RESPONSES: Record<number, ResponseDoc> = {
  422: { description: 'Validation failed (problem+json naming each field)' },
};

/**
 * One place where a route is declared: the same zod schemas validate the request and generate the
 * OpenAPI document, so the contract cannot drift from what the handler accepts.
 */
export class Api {
  readonly router = new Router({ prefix: '/api/v1' });
  readonly registry = new OpenAPIRegistry();

  constructor(private readonly actors: ActorResolver) {
    this.registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  }

  add<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined, A extends AuthRule = AuthRule>(
    spec: RouteSpec<B, Q, P, A>,
  ): void {
    this.document(spec);
    const successStatus = Number(Object.keys(spec.responses)[0]);
    this.router[spec.method](spec.path, async (ctx) => {
      const user = (await authorize(ctx, spec.auth, this.actors)) as Caller<A>;
      const params = spec.params ? parseInput(spec.params, ctx.params) : undefined;
      const query = spec.query ? parseInput(spec.query, ctx.query) : undefined;
      const rawBody = spec.body ? await readJsonBody(ctx) : undefined;
      const body = spec.body ? parseInput(spec.body, rawBody ?? {}) : undefined;
      const result = await spec.handler({ body, query, params, user, ctx } as RouteInput<z.output<B>, z.output<Q>, z.output<P>, A>);
      if (result instanceof Reply) {
        ctx.set(result.headers);
        ctx.status = result.status;
        if (result.body !== undefined) ctx.body = result.body;
      } else if (result !== undefined) {
        ctx.status = successStatus;
        ctx.body = result;
      } else if (ctx.body === undefined && ctx.status === 404) {
        ctx.status = successStatus; // handler answered with no body (e.g. 204)
      }
    });
  }

  private document(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType, AuthRule>): void {
    const responses = Object.fromEntries(
      Object.entries({ ...spec.responses, ...(spec.body || spec.query || spec.params ? ERROR_RESPONSES : {}) }).map(([status, doc]) => [
        status,
        {
          description: doc.description,
          ...(doc.schema ? { content: { [doc.contentType ?? 'application/json']: { schema: doc.schema } } } : {}),
        },
      ]),
    );
    this.registry.registerPath({
      method: spec.method,
      path: `/api/v1${spec.path.replace(/:(\w+)/g, '{$1}')}`,
      summary: spec.summary,
      tags: spec.tags,
      security: spec.auth === 'public' ? [] : [{ bearerAuth: [] }],
      request: {
        ...(spec.params ? { params: spec.params as z.ZodObject } : {}),
        ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
        ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } }, required: true } } : {}),
        ...(spec.rawBody ? { body: rawBodyDoc(spec.rawBody) } : {}),
      },
      responses,
    });
  }
}
