import type { EntityManager } from '@mikro-orm/postgresql';
import type { ModuleDeps } from '../shared/module-deps.js';
import { AppError } from '../shared/app-error.js';
import type { Emit } from '../shared/domain-events.js';
import type { IdentityThrottle } from './identity-throttle.js';
import type { AuthResult, OtpVerifyInput } from './identity.schemas.js';
import type { PhoneCodes } from './phone-codes.js';
import type { Sessions } from './sessions.js';
import { userConflict } from './user-conflicts.js';
import { User } from './user.entity.js';

export { OTP_MAX_ATTEMPTS, OTP_RESEND_MS, OTP_TTL_MS } from './phone-codes.js';

const invalidCode = () => new AppError('INVALID_CREDENTIALS', 'Wrong, expired or used code');

/** Phone login with one-time codes sent by SMS. */
export class OtpService {
  constructor(
    private readonly deps: Pick<ModuleDeps, 'uow'>,
    private readonly codes: PhoneCodes,
    private readonly throttle: IdentityThrottle,
    private readonly sessions: Sessions,
  ) {}

  /** Sends a fresh code to the phone (per-IP hourly and daily limits, per-phone resend window and daily cap). */
  async request(phone: string, ip: string): Promise<{ expiresIn: number }> {
    await this.throttle.otpRequest(ip);
    return this.codes.send(phone);
  }

  /**
   * Exchanges a right code for a session of the account whose verified phone this is, or of a new
   * customer with it verified. A number only typed into another account (pending) matches nothing.
   */
  async verify(input: OtpVerifyInput, ip: string): Promise<AuthResult> {
    await this.throttle.otpVerify(ip);
    const expected = await this.codes.check(input.phone, input.code);
    if (!expected) throw invalidCode();
    try {
      return await this.deps.uow.run(async (em, emit) => {
        if (!(await this.codes.claim(em, input.phone, expected))) throw invalidCode();
        const user = await this.findOrCreateCustomer(em, input.phone, emit);
        if (user.disabledAt) throw new AppError('FORBIDDEN', 'This account is disabled');
        return (await this.sessions.open(em, user)).result;
      });
    } catch (err) {
      throw userConflict(err);
    }
  }

  private async findOrCreateCustomer(em: EntityManager, phone: string, emit: Emit): Promise<User> {
    const existing = await em.findOne(User, { phone, phoneVerified: true });
    if (existing) return existing;
    const user = em.create(User, { phone, phoneVerified: true, email: null, passwordHash: null, name: '', role: 'customer', locality: null });
    await em.flush(); // the user row first: refresh_tokens references it
    emit('user.registered', { userId: user.id, role: user.role });
    return user;
  }
}
