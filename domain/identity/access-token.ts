import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { ROLES, type Role } from './user.entity.js';

export const ACCESS_TOKEN_TTL_SECONDS = 300;
/** Tokens whose signature this process has checked, remembered until they expire (bounded). */
const VERIFIED_MAX = 20_000;

export interface AccessClaims {
  userId: string;
  role: Role;
  /** Expiry as epoch milliseconds. */
  expiresAt: number;
  /** When it was signed, epoch milliseconds (to the millisecond for tokens that carry `iat_ms`). */
  issuedAt: number;
}

/** Signs and verifies the 5-minute HS256 access JWT; any other algorithm (including `none`) is refused. */
export class AccessTokens {
  private readonly key: Uint8Array;
  /**
   * A client sends the same token with every request for its five minutes: its HMAC is checked once
   * (WebCrypto, a thread-pool round trip each time), then only its expiry. Revocation is checked by the
   * caller on every request, so remembering a signature changes nothing about who gets in.
   */
  private readonly verified = new Map<string, AccessClaims>();

  constructor(
    secret: string,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(userId: string, role: Role): Promise<{ token: string; expiresIn: number }> {
    const nowMs = this.clock.now().getTime();
    const iat = Math.floor(nowMs / 1000);
    // iat has whole seconds; revocation marks compare to the millisecond (a login right after an enable is not revoked).
    const token = await new SignJWT({ role, iat_ms: nowMs })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
      .sign(this.key);
    return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** Throws UNAUTHENTICATED for a missing, malformed, forged, `alg: none` or expired token. */
  async verify(token: string | undefined | null): Promise<AccessClaims> {
    if (!token) throw new AppError('UNAUTHENTICATED', 'Missing access token');
    const known = this.verified.get(token);
    if (known) {
      if (this.clock.now().getTime() < known.expiresAt) return { ...known };
      this.verified.delete(token);
      throw new AppError('UNAUTHENTICATED', 'Access token expired');
    }
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const role = payload.role as Role;
      if (!ROLES.includes(role)) throw new AppError('UNAUTHENTICATED', 'Invalid access token');
      const issuedAt = typeof payload.iat_ms === 'number' ? payload.iat_ms : payload.iat! * 1000;
      const claims = { userId: payload.sub!, role, expiresAt: payload.exp! * 1000, issuedAt };
      if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
      this.verified.set(token, claims);
      return claims;
    } catch (err) {
      if (err instanceof AppError) throw err;
      const expired = err instanceof errors.JWTExpired;
      throw new AppError('UNAUTHENTICATED', expired ? 'Access token expired' : 'Invalid access token');
    }
  }
}
