import type { EntityManager } from '@mikro-orm/postgresql';
import type { ModuleDeps } from '../shared/module-deps.js';
import { AppError } from '../shared/app-error.js';
import type { IdentityThrottle } from './identity-throttle.js';
import { OtpCode } from './otp-code.entity.js';
import { newOtpCode, otpDigest, sameDigest } from './otp-digest.js';
import type { SmsSender } from './sms-sender.js';

export const OTP_TTL_MS = 5 * 60_000;
export const OTP_RESEND_MS = 30_000;
export const OTP_MAX_ATTEMPTS = 5;

/**
 * One-time codes sent by SMS to prove a phone is in the caller's hands (OTP login, confirming the
 * account's number): one live code per phone, hashed, 5 minutes, 5 tries, one send per 30 s and a
 * daily cap per phone. Time comes from the injected clock.
 */
export class PhoneCodes {
  constructor(
    private readonly deps: Pick<ModuleDeps, 'em' | 'clock'> & { otpSecret: string },
    private readonly sms: SmsSender,
    private readonly throttle: IdentityThrottle,
  ) {}

  /** Sends a fresh code to the phone, replacing any older one; refused within 30 s of the last send or past the daily cap. */
  async send(phone: string): Promise<{ expiresIn: number }> {
    const code = newOtpCode();
    const codeHash = otpDigest(this.deps.otpSecret, phone, code);
    const now = this.deps.clock.now();
    if (!(await this.store(phone, codeHash, now))) throw await this.resendRefused(phone, now);
    try {
      await this.throttle.otpSend(phone);
      await this.sms.send({ to: phone, text: `Your Larder code is ${code}. It expires in ${OTP_TTL_MS / 60_000} minutes.` });
    } catch (err) {
      // Not sent: drop the code so the user may ask again at once rather than after the resend window.
      await this.deps.em.nativeDelete(OtpCode, { phone, codeHash });
      throw err;
    }
    return { expiresIn: OTP_TTL_MS / 1000 };
  }

  /**
   * Counts one try on the phone's live code and returns its digest when `code` is right (claim it with
   * `claim` in the transaction that uses it), or nothing. The try is committed before comparing, so
   * every wrong guess counts even when requests race.
   */
  async check(phone: string, code: string): Promise<string | undefined> {
    const rows = await this.deps.em.execute<Array<{ code_hash: string }>>(
      `update otp_codes set attempts = attempts + 1
       where phone = ? and attempts < ? and expires_at > ?
       returning code_hash`,
      [phone, OTP_MAX_ATTEMPTS, this.deps.clock.now()],
      'all',
    );
    const expected = rows[0]?.code_hash;
    return expected && sameDigest(expected, otpDigest(this.deps.otpSecret, phone, code)) ? expected : undefined;
  }

  /** Deletes the checked code in `tx`: of two right answers racing, only one claims it. */
  async claim(tx: EntityManager, phone: string, digest: string): Promise<boolean> {
    return (await tx.nativeDelete(OtpCode, { phone, codeHash: digest })) === 1;
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
}
