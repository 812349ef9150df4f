import { ConnectionException } from '@mikro-orm/core';
import { AppError } from '../domain/shared/app-error.js';
import { isRedisUnavailable } from './redis.js';

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

/**
 * The error a client is answered with: the mapped one, or a generic INTERNAL for anything unexpected
 * (`expected` false: log it). `mapped` lets a transport add its own mappings first.
 */
export function clientError(err: unknown, mapped: AppError | null = toAppError(err)): { error: AppError; expected: boolean } {
  return { error: mapped ?? new AppError('INTERNAL', 'Internal server error'), expected: mapped !== null };
}

function isPostgresDown(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'ECONNREFUSED' || code === '57P01' || code === '57P03' || code === '53300';
}
