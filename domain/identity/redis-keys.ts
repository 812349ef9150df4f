import { createHash } from 'node:crypto';

/**
 * Every Redis key of the identity module (the process's key prefix is added by the client). Account
 * keys carry a digest of the e-mail or phone, not the value itself, so Redis never holds personal data.
 */
export const identityKeys = {
  /** Login attempts on one account from one client (IP): the hard limit. */
  loginAccountClient: (email: string, ip: string) => `identity:rl:login:account:${digest(email)}:client:${ip}`,
  /** Login attempts on one account from anywhere: past a ceiling, answers slow down (never a lock). */
  loginAccount: (email: string) => `identity:rl:login:account:${digest(email)}`,
  loginIp: (ip: string) => `identity:rl:login:ip:${ip}`,
  registerIp: (ip: string) => `identity:rl:register:ip:${ip}`,
  otpRequestIp: (ip: string) => `identity:rl:otp-request:ip:${ip}`,
  otpRequestIpDay: (ip: string) => `identity:rl:otp-request:ip-day:${ip}`,
  otpSentPhoneDay: (phone: string) => `identity:rl:otp-sent:phone-day:${digest(phone)}`,
  otpVerifyIp: (ip: string) => `identity:rl:otp-verify:ip:${ip}`,
  phoneChange: (userId: string) => `identity:rl:phone-change:user:${userId}`,
  forgotIp: (ip: string) => `identity:rl:forgot:ip:${ip}`,
  forgotAccount: (email: string) => `identity:rl:forgot:account:${digest(email)}`,
  resetIp: (ip: string) => `identity:rl:reset:ip:${ip}`,
  /** Epoch ms: access tokens of this user issued at or before it are refused (disabled accounts). */
  validAfter: (userId: string) => `identity:valid-after:${userId}`,
};

const FIVE_MINUTES = 300;
const HOUR = 3600;
const DAY = 86_400;

/** The fixed limits (attempts per window, in seconds); per-IP limits for password endpoints and OTP daily caps come from config. */
export const identityLimits = {
  loginAccountClient: { limit: 10, windowSec: FIVE_MINUTES },
  /** Attempts on one account from anywhere before each further attempt waits (backoff, never a lock). */
  loginAccountBackoff: { after: 20, stepMs: 100, maxMs: 3_000, windowSec: 15 * 60 },
  ipPasswordEndpoints: { windowSec: FIVE_MINUTES },
  otpRequestIp: { limit: 20, windowSec: HOUR },
  otpDaily: { windowSec: DAY },
  otpVerifyIp: { limit: 50, windowSec: FIVE_MINUTES },
  phoneChange: { limit: 5, windowSec: HOUR },
  // Reset mails beyond this are silently dropped (the answer stays 202), so nobody can mail-bomb an inbox.
  forgotAccount: { limit: 3, windowSec: HOUR },
};

/** A short, non-reversible stand-in for an e-mail or phone in keys and logs. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22);
}
