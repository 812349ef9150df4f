import type { Deps } from '../../server/container.js';
import { RateLimiter } from '../shared/rate-limiter.js';
import { AuthService } from './auth.service.js';
import { IdentityThrottle } from './identity-throttle.js';
import { OtpService } from './otp.service.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordResetService } from './password-reset.service.js';
import { ProfileService } from './profile.service.js';
import { Sessions } from './sessions.js';
import { createOutboxSmsSender, type SmsSender } from './sms-sender.js';

export interface IdentityServices {
  hasher: PasswordHasher;
  auth: AuthService;
  otp: OtpService;
  passwordReset: PasswordResetService;
  profile: ProfileService;
}

/** Builds the identity module once per process; `sms` replaces the default outbox sender. */
export function createIdentityServices(deps: Deps, options: { sms?: SmsSender } = {}): IdentityServices {
  const hasher = new PasswordHasher(deps.config.argon2Concurrency);
  const throttle = new IdentityThrottle(new RateLimiter(deps.redis), deps.config.authIpLimitPer5Min);
  const sessions = new Sessions(deps.tokens, deps.clock);
  const sms = options.sms ?? createOutboxSmsSender(deps.config.smsOutboxFile, deps.log);
  return {
    hasher,
    auth: new AuthService(deps, hasher, throttle, sessions),
    otp: new OtpService(deps, sms, throttle, sessions),
    passwordReset: new PasswordResetService(deps, hasher, throttle, sessions),
    profile: new ProfileService(deps),
  };
}
