import type { EntityManager } from '@mikro-orm/postgresql';
import type { ModuleDeps } from '../shared/module-deps.js';
import { AppError } from '../shared/app-error.js';
import type { Emit } from '../shared/domain-events.js';
import type { IdentityThrottle } from './identity-throttle.js';
import type { AuthResult, OtpVerifyInput } from './identity.schemas.js';
import { OtpCode } from './otp-code.entity.js';
import { newOtpCode, otpDigest, sameDigest } from './otp-digest.js';
import type { Sessions } from './sessions.js';
import type { SmsSender } from './sms-sender.js';
import { userConflict } from './user-conflicts.js';
import { User } from './user.entity.js';

export const OTP_TTL_MS = 5 * 60_000;
export const OTP_RESEND_MS = 30_000;
export const OTP_MAX_ATTEMPTS = 5;

const invalidCode = () => new AppError('INVALID_CREDENTIALS', 'Wrong, expired or used code');

/** Phone login with one-time codes sent by SMS; time comes from the injected clock. */
export class OtpService {
  constructor(
    private readonly deps: Pick<ModuleDeps, 'em' | 'uow' | 'clock'> & { otpSecret: string },
    private readonly sms: SmsSender,
    private readonly throttle: IdentityThrottle,
    private readonly sessions: Sessions,
  ) {}

  /** Sends a fresh code to the phone, replacing any older one; refused within 30 s of the last send. */
  async request(phone: string, ip: string): Promise<{ expiresIn: number }> {
    await this.throttle.otpRequest(ip);
    const code = newOtpCode();
    const codeHash = otpDigest(this.deps.otpSecret, phone, code);
    const now = this.deps.clock.now();
    if (!(await this.store(phone, codeHash, now))) throw await this.resendRefused(phone, now);
    try {
      await this.sms.send({ to: phone, text: `Your Larder code is ${code}. It expires in ${OTP_TTL_MS / 60_000} minutes.` });
    } catch (err) {
      // Undelivered: drop the code so the user may ask again at once rather than after the resend window.
      await this.deps.em.nativeDelete(OtpCode, { phone, codeHash });
      throw err;
    }
    return { expiresIn: OTP_TTL_MS / 1000 };
  }

  /** Exchanges a right code for a session, creating a customer on the phone's first login. */
  async verify(input: OtpVerifyInput, ip: string): Promise<AuthResult> {
    await this.throttle.otpVerify(ip);
    const expected = await this.countAttempt(input.phone, this.deps.clock.now());
    if (!expected || !sameDigest(expected, otpDigest(this.deps.otpSecret, input.phone, input.code))) throw invalidCode();
    try {
      return await this.deps.uow.run(async (em, emit) => {
        // Deleting the code is the claim: of two right answers racing, only one deletes it.
        if (!(await em.nativeDelete(OtpCode, { phone: input.phone, codeHash: expected }))) throw invalidCode();
        const user = await this.findOrCreateCustomer(em, input.phone, emit);
        return (await this.sessions.open(em, user)).result;
      });
    } catch (err) {
      throw userConflict(err);
    }
  }

  /** Inserts or replaces the phone's code unless the last one was sent within the resend window. */
  private async store(phone: string, codeHash: string, now: Date): Promise<boolean> {
    // One statement decides the resend window atomically, also for concurrent requests on several instances.
    const rows = await this.deps.em.execute<unknown[]>(
      `insert into otp_codes (phone, code_hash, expires_at, attempts, sent_at) values (?, ?, ?, 0, ?)
       on conflict (phone) do update
         set code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0, sent_at = excluded.sent_at
         where otp_codes.sent_at <= ?
       returning phone`,
      [phone, codeHash, new Date(now.getTime() + OTP_TTL_MS), now, new Date(now.getTime() - OTP_RESEND_MS)],
      'all',
    );
    return rows.length === 1;
  }

  private async resendRefused(phone: string, now: Date): Promise<AppError> {
    const live = await this.deps.em.findOne(OtpCode, { phone });
    const waitMs = live ? live.sentAt.getTime() + OTP_RESEND_MS - now.getTime() : OTP_RESEND_MS;
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    return new AppError('RATE_LIMITED', `A code was sent to this phone less than ${OTP_RESEND_MS / 1000} s ago`, { retryAfter });
  }

  /**
   * Records one attempt on a live code and returns its digest, or nothing when there is no live code
   * (missing, expired, or out of attempts). The attempt is committed before comparing, so every wrong
   * guess counts even when requests race.
   */
  private async countAttempt(phone: string, now: Date): Promise<string | undefined> {
    const rows = await this.deps.em.execute<Array<{ code_hash: string }>>(
      `update otp_codes set attempts = attempts + 1
       where phone = ? and attempts < ? and expires_at > ?
       returning code_hash`,
      [phone, OTP_MAX_ATTEMPTS, now],
      'all',
    );
    return rows[0]?.code_hash;
  }

  private async findOrCreateCustomer(em: EntityManager, phone: string, emit: Emit): Promise<User> {
    const existing = await em.findOne(User, { phone });
    if (existing) return existing;
    const user = em.create(User, { phone, email: null, passwordHash: null, name: '', role: 'customer', locality: null });
    await em.flush(); // the user row first: refresh_tokens references it
    emit('user.registered', { userId: user.id, role: user.role });
    return user;
  }
}
