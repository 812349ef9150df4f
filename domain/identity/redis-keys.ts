import { createHash } from 'node:crypto';

/**
 * Every Redis key of the identity module (the process's key prefix is added by the client). Account
 * keys carry a digest of the e-mail, not the address itself, so Redis never holds personal data.
 */
export const identityKeys = {
  loginAccount: (email: string) => `identity:rl:login:account:${digest(email)}`,
  loginIp: (ip: string) => `identity:rl:login:ip:${ip}`,
  registerIp: (ip: string) => `identity:rl:register:ip:${ip}`,
  otpRequestIp: (ip: string) => `identity:rl:otp-request:ip:${ip}`,
  otpVerifyIp: (ip: string) => `identity:rl:otp-verify:ip:${ip}`,
  forgotIp: (ip: string) => `identity:rl:forgot:ip:${ip}`,
  forgotAccount: (email: string) => `identity:rl:forgot:account:${digest(email)}`,
  resetIp: (ip: string) => `identity:rl:reset:ip:${ip}`,
};

const FIVE_MINUTES = 300;
const HOUR = 3600;

/** The fixed limits (attempts per window, in seconds); per-IP limits for password endpoints come from config. */
export const identityLimits = {
  loginAccount: { limit: 10, windowSec: FIVE_MINUTES },
  ipPasswordEndpoints: { windowSec: FIVE_MINUTES },
  otpRequestIp: { limit: 20, windowSec: HOUR },
  otpVerifyIp: { limit: 50, windowSec: FIVE_MINUTES },
  // Reset mails beyond this are silently dropped (the answer stays 202), so nobody can mail-bomb an inbox.
  forgotAccount: { limit: 3, windowSec: HOUR },
};

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22);
}
