import { ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { AppError } from '../shared/app-error.js';

/**
 * Turns a constraint violation on users into the client's error: an unknown locality, or an e-mail or
 * phone taken. The pre-check before hashing catches the common case; this catches two requests racing
 * for the same e-mail or phone.
 */
export function userConflict(err: unknown): unknown {
  const constraint = (err as { constraint?: string }).constraint;
  if (err instanceof ForeignKeyConstraintViolationException && constraint === 'users_locality_fkey') {
    return AppError.validation([{ path: 'locality', message: 'No such locality' }]);
  }
  if (!(err instanceof UniqueConstraintViolationException)) return err;
  if (constraint === 'users_email_key') return emailTaken();
  if (constraint === 'users_verified_phone_key') {
    // Only reachable after proving the number is in the caller's hands (the code sent to it was entered).
    return new AppError('CONFLICT', 'This number is already confirmed on another account', { errors: [{ path: 'phone', message: 'already in use' }] });
  }
  return err;
}

/** The answer when an e-mail already belongs to an account. */
export function emailTaken(): AppError {
  return new AppError('EMAIL_TAKEN', 'An account with this e-mail already exists');
}
