import { randomUUID, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { ROLES, type Role } from './user.entity.js';

export const ACCESS_TOKEN_TTL_SECONDS = 300;

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
  /**
   * The secret imported once as a WebCrypto HMAC key: given raw bytes, jose imports them again for every
   * token, which costs 3–4× the verification itself (a connect storm verifies thousands per second).
   */
  private readonly key: Promise<webcrypto.CryptoKey>;

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
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: ['HS256'],
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const role = payload.role as Role;
      if (!ROLES.includes(role)) throw new AppError('UNAUTHENTICATED', 'Invalid access token');
      const issuedAt = typeof payload.iat_ms === 'number' ? payload.iat_ms : payload.iat! * 1000;
      return { userId: payload.sub!, role, expiresAt: payload.exp! * 1000, issuedAt };
    } catch (err) {
      if (err instanceof AppError) throw err;
      const expired = err instanceof errors.JWTExpired;
      throw new AppError('UNAUTHENTICATED', expired ? 'Access token expired' : 'Invalid access token');
    }
  }
}
