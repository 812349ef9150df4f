import { AppError } from '../shared/app-error.js';
import type { RateLimiter } from '../shared/rate-limiter.js';
import { identityKeys as keys, identityLimits as limits } from './redis-keys.js';

/**
 * The identity endpoints' rate limits in one place. Every check runs before any password hashing,
 * so a flood of attempts costs us one Redis round trip each, not an argon2 hash.
 */
export class IdentityThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly ipLimitPer5Min: number,
  ) {}

  /**
   * Counts a login attempt per IP, then per account (the account counter is reset on success), in
   * one round trip. An IP over its limit is refused before the account is counted.
   */
  async login(email: string, ip: string): Promise<void> {
    await this.limiter.hitInOrder([
      { key: keys.loginIp(ip), limit: this.ipLimitPer5Min, windowSec: limits.ipPasswordEndpoints.windowSec },
      { key: keys.loginAccount(email), limit: limits.loginAccount.limit, windowSec: limits.loginAccount.windowSec },
    ]);
  }

  /** A successful login clears the account's failed-attempt counter. */
  async loginSucceeded(email: string): Promise<void> {
    await this.limiter.reset(keys.loginAccount(email));
  }

  /** Counts a registration per IP. */
  async register(ip: string): Promise<void> {
    await this.perIp(keys.registerIp(ip));
  }

  /** Counts an OTP request per IP (the per-phone resend window lives with the code, on the injected clock). */
  async otpRequest(ip: string): Promise<void> {
    await this.limiter.hit(keys.otpRequestIp(ip), limits.otpRequestIp.limit, limits.otpRequestIp.windowSec);
  }

  /** Counts an OTP verification per IP (the per-code attempt limit lives with the code). */
  async otpVerify(ip: string): Promise<void> {
    await this.limiter.hit(keys.otpVerifyIp(ip), limits.otpVerifyIp.limit, limits.otpVerifyIp.windowSec);
  }

  /** Counts a "forgot password" per IP. */
  async forgot(ip: string): Promise<void> {
    await this.perIp(keys.forgotIp(ip));
  }

  /** Whether another reset mail may go to this address now; false means drop it quietly. */
  async mayMailReset(email: string): Promise<boolean> {
    try {
      await this.limiter.hit(keys.forgotAccount(email), limits.forgotAccount.limit, limits.forgotAccount.windowSec);
      return true;
    } catch (err) {
      if (err instanceof AppError && err.code === 'RATE_LIMITED') return false;
      throw err;
    }
  }

  /** Counts a password reset per IP (before the new password is hashed). */
  async reset(ip: string): Promise<void> {
    await this.perIp(keys.resetIp(ip));
  }

  private perIp(key: string): Promise<void> {
    return this.limiter.hit(key, this.ipLimitPer5Min, limits.ipPasswordEndpoints.windowSec);
  }
}
