import { randomUUID, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { ROLES, type Role } from './user.entity.js';

export const ACCESS_TOKEN_TTL_SECONDS = 300;
/** Verified tokens this process remembers (the oldest is forgotten first). */
const VERIFIED_MAX = 20_000;

export interface AccessClaims {
  userId: string;
  role: Role;
  /** Expiry as epoch milliseconds. */
  expiresAt: number;
  /** When it was signed, epoch milliseconds (to the millisecond for tokens that carry `iat_ms`). */
  issuedAt: number;
}

interface Verified {
  claims: AccessClaims;
  /** `exp` and `nbf` in epoch seconds, rechecked on every use. */
  exp: number;
  nbf: number | undefined;
}

/**
 * Signs and verifies the 5-minute HS256 access JWT; any other algorithm (including `none`) is refused.
 * A client sends the same token for minutes, so a token whose signature checked out is remembered (by
 * its exact text) and only its time claims are checked again: the HMAC check through WebCrypto was a
 * fifth of the CPU of a small authenticated request.
 */
export class AccessTokens {
  /**
   * The secret imported once as a WebCrypto HMAC key: given raw bytes, jose imports them again for every
   * token, which costs 3–4× the verification itself (a connect storm verifies thousands per second).
   */
  private readonly key: Promise<webcrypto.CryptoKey>;
  private readonly verified = new Map<string, Verified>();

  constructor(
    secret: string,
    private readonly clock: Clock,
  ) {
    this.key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
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
      .sign(await this.key);
    return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** Throws UNAUTHENTICATED for a missing, malformed, forged, `alg: none` or expired token. */
  async verify(token: string | undefined | null): Promise<AccessClaims> {
    if (!token) throw new AppError('UNAUTHENTICATED', 'Missing access token');
    const known = this.verified.get(token);
    if (known) return this.stillValid(token, known);
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: ['HS256'],
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const role = payload.role as Role;
      if (!ROLES.includes(role)) throw new AppError('UNAUTHENTICATED', 'Invalid access token');
      const issuedAt = typeof payload.iat_ms === 'number' ? payload.iat_ms : payload.iat! * 1000;
      const claims: AccessClaims = { userId: payload.sub!, role, expiresAt: payload.exp! * 1000, issuedAt };
      this.remember(token, { claims, exp: payload.exp!, nbf: payload.nbf });
      return claims;
    } catch (err) {
      if (err instanceof AppError) throw err;
      const expired = err instanceof errors.JWTExpired;
      throw new AppError('UNAUTHENTICATED', expired ? 'Access token expired' : 'Invalid access token');
    }
  }

  /** The same time checks jose makes (no clock tolerance): expired when `exp` ≤ now, not yet valid while `nbf` > now. */
  private stillValid(token: string, known: Verified): AccessClaims {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    if (known.exp <= now) {
      this.verified.delete(token);
      throw new AppError('UNAUTHENTICATED', 'Access token expired');
    }
    if (known.nbf !== undefined && known.nbf > now) throw new AppError('UNAUTHENTICATED', 'Invalid access token');
    return { ...known.claims };
  }

  private remember(token: string, verified: Verified): void {
    if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, verified);
  }
}
