import type { Redis } from 'ioredis';
import { ACCESS_TOKEN_TTL_SECONDS } from './access-token.js';
import { identityKeys } from './redis-keys.js';

/** Long enough for every access token signed before the mark to have expired. */
const MARK_TTL_SECONDS = ACCESS_TOKEN_TTL_SECONDS * 2;

/**
 * Access-token revocation without a database read per request: a per-user "valid after" mark in Redis
 * (shared by every instance) refuses the tokens signed at or before it. Marks expire once every token
 * they could refuse has expired anyway; refresh and login refuse a disabled account in the database.
 */
export class Revocations {
  constructor(private readonly redis: Redis) {}

  /** Refuses, from now on and on every instance, the user's access tokens signed until `at`. */
  async revokeTokensUntil(userId: string, at: Date): Promise<void> {
    await this.redis.set(identityKeys.validAfter(userId), String(at.getTime()), 'EX', MARK_TTL_SECONDS);
  }

  /** Whether a token of the user signed at `issuedAt` (epoch ms) was revoked. */
  async isRevoked(userId: string, issuedAt: number): Promise<boolean> {
    return refusedBy(await this.redis.get(this.markKey(userId)), issuedAt);
  }

  /**
   * The user's mark (a Redis string of epoch ms, or no key), for a caller that reads it inside its own
   * script to save a round trip: a token is revoked when `refusedBy(mark, issuedAt)`.
   */
  markKey(userId: string): string {
    return identityKeys.validAfter(userId);
  }
}

/** Whether the mark's value refuses a token signed at `issuedAt` (epoch ms): signed at or before it. */
export function refusedBy(mark: string | null, issuedAt: number): boolean {
  return mark !== null && issuedAt <= Number(mark);
}
