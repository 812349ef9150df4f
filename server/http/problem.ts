import type { Context } from 'koa';
import { AppError } from '../../domain/shared/app-error.js';
import { clientError, toAppError } from '../platform/error-mapping.js';

/** Writes an error as RFC 9457 problem+json; unexpected errors get a generic 500 with the request id. */
export function respondWithProblem(ctx: Context, err: unknown): { expected: boolean } {
  const { error: problem, status, expose, expected } = clientError(err, toAppError(err) ?? fromHttpError(err));
  ctx.status = status;
  ctx.type = 'application/problem+json';
  if (problem.code === 'RATE_LIMITED' && typeof problem.details.retryAfter === 'number') {
    ctx.set('Retry-After', String(problem.details.retryAfter));
  }
  if (problem.code === 'UNAVAILABLE') ctx.set('Retry-After', '5');
  ctx.body = {
    type: 'about:blank',
    title: titleFor(status),
    status,
    code: problem.code,
    detail: expose ? problem.message : `Internal server error (request ${ctx.state.reqId})`,
    instance: ctx.path,
    requestId: ctx.state.reqId,
    ...(expose ? problem.details : {}),
  };
  return { expected };
}

/** Koa / http-errors style errors (status + expose), e.g. from ctx.throw in middleware. */
function fromHttpError(err: unknown): AppError | null {
  const e = err as { status?: number; expose?: boolean; message?: string } | null;
  if (!e || typeof e.status !== 'number' || !e.expose) return null;
  const code = e.status === 413 ? 'PAYLOAD_TOO_LARGE' : e.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : e.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
  return new AppError(code, e.message ?? 'Bad request');
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function titleFor(status: number): string {
  return TITLES[status] ?? 'Error';
}
