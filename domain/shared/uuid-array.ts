import { AppError } from './app-error.js';
import { isUuid } from './pagination.js';

/**
 * Ids as one PostgreSQL array literal, for `= any(?::uuid[])`: one bind parameter however many ids (a
 * batch of thousands stays one small statement). Every value must be a UUID.
 */
export function uuidArray(ids: Iterable<string>): string {
  const list = [...ids];
  if (!list.every(isUuid)) throw new AppError('INTERNAL', 'Not a list of UUIDs');
  return `{${list.join(',')}}`;
}
