import type { ModuleDeps } from '../shared/module-deps.js';
import { AppError } from '../shared/app-error.js';
import type { IdentityThrottle } from './identity-throttle.js';
import type { UserOutput } from './identity.schemas.js';
import type { PhoneCodes } from './phone-codes.js';
import { userConflict } from './user-conflicts.js';
import { toUserOutput } from './user-output.js';
import { User } from './user.entity.js';

const wrongCode = () => AppError.validation([{ path: 'code', message: 'Wrong, expired or used code' }]);

/**
 * Confirming the account's phone: a number becomes the account's (and signs it in by OTP) only once the
 * code sent to it is entered here. Until then it is pending, and taking a number anyone else holds
 * answers exactly like taking a free one: nothing tells a caller whose number it is.
 */
export class PhoneVerificationService {
  constructor(
    private readonly deps: Pick<ModuleDeps, 'em' | 'uow' | 'clock'>,
    private readonly codes: PhoneCodes,
    private readonly throttle: IdentityThrottle,
  ) {}

  /** Stores the number as the caller's pending phone and sends it a code. */
  async start(userId: string, phone: string, ip: string): Promise<{ expiresIn: number }> {
    await this.throttle.otpRequest(ip);
    await this.change(userId, phone);
    return this.codes.send(phone);
  }

  /** Makes the number the caller's pending phone (PATCH /me too), a few times an hour at most; today's own number stays verified. */
  async change(userId: string, phone: string): Promise<void> {
    await this.throttle.phoneChange(userId);
    const updated = await this.deps.em
      .getConnection()
      .execute<unknown[]>(
        `update users set phone_verified = (phone_verified and phone = ?), phone = ?, updated_at = ? where id = ? returning id`,
        [phone, phone, this.deps.clock.now(), userId],
        'all',
      );
    if (updated.length === 0) throw new AppError('UNAUTHENTICATED', 'Account no longer exists');
  }

  /** Confirms the pending phone with the code sent to it; CONFLICT when another account verified it first. */
  async confirm(userId: string, code: string, ip: string): Promise<UserOutput> {
    await this.throttle.otpVerify(ip);
    const user = await this.deps.em.findOne(User, { id: userId });
    if (!user) throw new AppError('UNAUTHENTICATED', 'Account no longer exists');
    if (!user.phone) throw AppError.validation([{ path: 'code', message: 'No phone to confirm: POST /api/v1/me/phone first' }]);
    if (user.phoneVerified) return toUserOutput(user);
    const phone = user.phone;
    const expected = await this.codes.check(phone, code);
    if (!expected) throw wrongCode();
    try {
      await this.deps.uow.run(async (tx) => {
        if (!(await this.codes.claim(tx, phone, expected))) throw wrongCode();
        const now = this.deps.clock.now();
        // Only the number the code went to: a PATCH that changed it meanwhile leaves the new one pending.
        const rows = await tx.execute<unknown[]>(
          `update users set phone_verified = true, updated_at = ? where id = ? and phone = ? returning id`,
          [now, userId, phone],
          'all',
        );
        if (rows.length === 0) throw wrongCode();
      });
    } catch (err) {
      throw userConflict(err);
    }
    return toUserOutput({ ...user, phoneVerified: true });
  }
}
