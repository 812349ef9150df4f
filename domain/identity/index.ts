import type { ModuleDeps } from '../shared/module-deps.js';
import { RateLimiter } from '../shared/rate-limiter.js';
import { AccessTokens } from './access-token.js';
import { ActorResolver } from './actor-resolver.js';
import { ensureAdminAccount } from './admin-bootstrap.js';
import { AuthService } from './auth.service.js';
import { IdentityThrottle } from './identity-throttle.js';
import { OtpService } from './otp.service.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordResetService } from './password-reset.service.js';
import { PhoneCodes } from './phone-codes.js';
import { PhoneVerificationService } from './phone-verification.service.js';
import { ProfileService } from './profile.service.js';
import { Revocations } from './revocations.js';
import { Sessions } from './sessions.js';
import { createOutboxSmsSender, type SmsSender } from './sms-sender.js';
import { TokenCleanup } from './token-cleanup.js';
import { UserAdminService } from './user-admin.service.js';
import { UserDirectory } from './user-directory.js';
import './identity.events.js';
import './identity.jobs.js';

export { AccessTokens, ACCESS_TOKEN_TTL_SECONDS, type AccessClaims } from './access-token.js';
export type { ActorResolver } from './actor-resolver.js';
export type { PhoneVerificationService } from './phone-verification.service.js';
export type { UserAdminService } from './user-admin.service.js';
export { ALLERGENS, CONDITIONS, DIETS, HealthProfile, type Allergen, type Condition, type Diet } from './health-profile.js';
export * from './identity.schemas.js';
export { PasswordHasher, ARGON2_OPTIONS } from './password-hasher.js';
export { Semaphore } from './semaphore.js';
export type { SmsMessage, SmsSender } from './sms-sender.js';
export { RefreshToken } from './refresh-token.entity.js';
export { OtpCode } from './otp-code.entity.js';
export { PasswordResetToken } from './password-reset-token.entity.js';
export { User } from './user.entity.js';
export type { UserContact, UserDirectory } from './user-directory.js';

export interface IdentitySettings {
  jwtSecret: string;
  argon2Concurrency: number;
  authIpLimitPer5Min: number;
  /** SMS codes one phone may be sent per day, and one IP may ask for per day. */
  otpPhoneDailyLimit: number;
  otpIpDailyLimit: number;
  smsOutboxFile: string;
  publicUrl: string;
  admin?: { email: string; password: string };
  /** Replaces the default outbox SMS sender (an SMS provider, or a test's recorder). */
  sms?: SmsSender;
}

/** Accounts, sessions, tokens and profiles; `users` is what other modules may read about users. */
export interface IdentityModule {
  tokens: AccessTokens;
  /** Bearer token → actor, for every entry point: signature, revocation, account exists and is enabled. */
  actors: ActorResolver;
  hasher: PasswordHasher;
  auth: AuthService;
  otp: OtpService;
  passwordReset: PasswordResetService;
  profile: ProfileService;
  phones: PhoneVerificationService;
  admin: UserAdminService;
  tokenCleanup: TokenCleanup;
  users: UserDirectory;
  /** The SMS sender OTP codes go out through (other modules send their texts through it too). */
  sms: SmsSender;
  /** Start-up: the ADMIN_EMAIL account exists and is an admin. */
  ensureAdmin(): Promise<void>;
}

export function createIdentityModule(deps: ModuleDeps, settings: IdentitySettings): IdentityModule {
  const tokens = new AccessTokens(settings.jwtSecret, deps.clock);
  const hasher = new PasswordHasher(settings.argon2Concurrency);
  const throttle = new IdentityThrottle(
    new RateLimiter(deps.redis),
    { ipLimitPer5Min: settings.authIpLimitPer5Min, otpPhoneDailyLimit: settings.otpPhoneDailyLimit, otpIpDailyLimit: settings.otpIpDailyLimit },
    deps.log,
  );
  const sessions = new Sessions(tokens, deps.clock);
  const sms = settings.sms ?? createOutboxSmsSender(settings.smsOutboxFile, deps.log);
  const codes = new PhoneCodes({ ...deps, otpSecret: settings.jwtSecret }, sms, throttle);
  const revocations = new Revocations(deps.redis);
  const actors = new ActorResolver(tokens, revocations, deps.em);
  const phones = new PhoneVerificationService(deps, codes, throttle);
  return {
    tokens,
    actors,
    hasher,
    auth: new AuthService(deps, hasher, throttle, sessions),
    otp: new OtpService(deps, codes, throttle, sessions),
    passwordReset: new PasswordResetService({ ...deps, publicUrl: settings.publicUrl }, hasher, throttle, sessions),
    profile: new ProfileService(deps, phones),
    phones,
    admin: new UserAdminService(deps, sessions, revocations, actors),
    tokenCleanup: new TokenCleanup(deps.em, deps.clock),
    users: new UserDirectory(deps.em),
    sms,
    ensureAdmin: () => ensureAdminAccount(deps, hasher, settings.admin),
  };
}
