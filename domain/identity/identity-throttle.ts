import type { Logger } from 'pino';
import { AppError } from '../shared/app-error.js';
import { rateLimited, UNLIMITED, type RateLimiter } from '../shared/rate-limiter.js';
import { digest, identityKeys as keys, identityLimits as limits } from './redis-keys.js';

export interface ThrottleSettings {
  ipLimitPer5Min: number;
  otpPhoneDailyLimit: number;
  otpIpDailyLimit: number;
}

/**
 * The identity endpoints' rate limits in one place. Every check runs before any password hashing,
 * so a flood of attempts costs us one Redis round trip each, not an argon2 hash.
 */
export class IdentityThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly settings: ThrottleSettings,
    private readonly log: Logger,
  ) {}

  /**
   * Counts a login attempt per IP, per account from this client, and per account from anywhere, in one
   * round trip. The first two refuse (429); the account-wide count only slows answers down once it
   * passes its ceiling, so a stranger elsewhere can make the owner wait but never lock them out
   * (OWASP ASVS V2.2.1). Returns how long to wait before checking the password.
   */
  async login(email: string, ip: string): Promise<{ delayMs: number }> {
    const backoff = limits.loginAccountBackoff;
    const outcome = await this.limiter.count([
      { key: keys.loginIp(ip), limit: this.settings.ipLimitPer5Min, windowSec: limits.ipPasswordEndpoints.windowSec },
      { key: keys.loginAccountClient(email, ip), limit: limits.loginAccountClient.limit, windowSec: limits.loginAccountClient.windowSec },
      { key: keys.loginAccount(email), limit: UNLIMITED, windowSec: backoff.windowSec },
    ]);
    if (!outcome.ok) {
      this.log.warn({ account: digest(email), ip, limit: outcome.exceeded === 0 ? 'ip' : 'account+client' }, 'login attempts refused');
      throw rateLimited(outcome.retryAfter);
    }
    const beyond = outcome.counts[2] - backoff.after;
    if (beyond <= 0) return { delayMs: 0 };
    if (beyond === 1) this.log.warn({ account: digest(email), ip }, 'login attempts on one account from many clients: answers slow down');
    return { delayMs: Math.min(backoff.maxMs, beyond * backoff.stepMs) };
  }

  /** A successful login clears this client's failed-attempt counter on the account (not the account-wide one). */
  async loginSucceeded(email: string, ip: string): Promise<void> {
    await this.limiter.reset(keys.loginAccountClient(email, ip));
  }

  /** Counts a registration per IP. */
  async register(ip: string): Promise<void> {
    await this.perIp(keys.registerIp(ip));
  }

  /** Counts an OTP request per IP, hourly and daily (the per-phone resend window lives with the code). */
  async otpRequest(ip: string): Promise<void> {
    await this.limiter.hitInOrder([
      { key: keys.otpRequestIp(ip), limit: limits.otpRequestIp.limit, windowSec: limits.otpRequestIp.windowSec },
      { key: keys.otpRequestIpDay(ip), limit: this.settings.otpIpDailyLimit, windowSec: limits.otpDaily.windowSec },
    ]);
  }

  /** Counts a code about to be sent to a phone against its daily cap (only codes past the resend window count). */
  async otpSend(phone: string): Promise<void> {
    const outcome = await this.limiter.count([
      { key: keys.otpSentPhoneDay(phone), limit: this.settings.otpPhoneDailyLimit, windowSec: limits.otpDaily.windowSec },
    ]);
    if (outcome.ok) return;
    this.log.warn({ phone: digest(phone) }, 'daily SMS code cap reached for a phone');
    throw rateLimited(outcome.retryAfter);
  }

  /** Counts an OTP verification per IP (the per-code attempt limit lives with the code). */
  async otpVerify(ip: string): Promise<void> {
    await this.limiter.hit(keys.otpVerifyIp(ip), limits.otpVerifyIp.limit, limits.otpVerifyIp.windowSec);
  }

  /** Counts a change of the account's phone (PATCH /me, POST /me/phone), per user. */
  async phoneChange(userId: string): Promise<void> {
    await this.limiter.hit(keys.phoneChange(userId), limits.phoneChange.limit, limits.phoneChange.windowSec);
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
    return this.limiter.hit(key, this.settings.ipLimitPer5Min, limits.ipPasswordEndpoints.windowSec);
  }
}
