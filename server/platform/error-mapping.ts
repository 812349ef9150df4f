import { ConnectionException } from '@mikro-orm/core';
import { AppError } from '../../domain/shared/app-error.js';
import { ERROR_STATUS } from './error-status.js';
import { isRedisUnavailable } from './redis.js';

/** A client-facing error: the domain error, its status, and whether its message and details may be shown. */
export interface ClientError {
  error: AppError;
  status: number;
  /** 4xx (and 503, which tells clients to retry) carry their message and details; anything else is generic. */
  expose: boolean;
  /** False for anything unrecognised: log it with its stack. */
  expected: boolean;
}

/**
 * Maps anything thrown by a service to the AppError a client sees. Infrastructure outages become
 * UNAVAILABLE (503, retry later); anything unrecognised returns null and is answered as a generic 500.
 */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (isRedisUnavailable(err)) return new AppError('UNAVAILABLE', 'A backing service is unavailable, retry later', { service: 'redis' });
  if (err instanceof ConnectionException || isPostgresDown(err)) {
    return new AppError('UNAVAILABLE', 'A backing service is unavailable, retry later', { service: 'postgres' });
  }
  return null;
}

/** The error a client is answered with. `mapped` lets a transport add its own mappings first. */
export function clientError(err: unknown, mapped: AppError | null = toAppError(err)): ClientError {
  const error = mapped ?? new AppError('INTERNAL', 'Internal server error');
  const status = ERROR_STATUS[error.code];
  return { error, status, expose: status < 500 || error.code === 'UNAVAILABLE', expected: mapped !== null };
}

/** Connection refused, admin shutdown, cannot connect now, too many connections; a bounded statement or idle transaction timed out. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', '57P01', '57P03', '53300', '57014', '25P03']);

function isPostgresDown(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code !== undefined && UNAVAILABLE_CODES.has(code);
}
