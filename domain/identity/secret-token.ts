import { createHash, randomBytes } from 'node:crypto';

/** A fresh opaque bearer secret: 32 random bytes, base64url. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The SHA-256 (hex) of a bearer secret: the only form the database ever stores or is queried with. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
