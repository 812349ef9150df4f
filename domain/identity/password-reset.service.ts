import type { ModuleDeps } from '../shared/module-deps.js';
import { AppError } from '../shared/app-error.js';
import type { IdentityThrottle } from './identity-throttle.js';
import type { ResetPasswordInput } from './identity.schemas.js';
import { PasswordResetToken } from './password-reset-token.entity.js';
import type { PasswordHasher } from './password-hasher.js';
import { hashSecretToken, newSecretToken } from './secret-token.js';
import type { Sessions } from './sessions.js';
import { User } from './user.entity.js';

export const RESET_TOKEN_TTL_MS = 30 * 60_000;
/** The one answer to "forgot password", whether or not the e-mail has an account. */
export const RESET_REQUESTED = { message: 'If an account uses this e-mail, a reset link is on its way.' } as const;

const invalidToken = () => new AppError('INVALID_CREDENTIALS', 'Reset link is invalid, used or expired');

/** "Forgot password" by e-mailed single-use link, and the reset itself. */
export class PasswordResetService {
  constructor(
    private readonly deps: Pick<ModuleDeps, 'em' | 'clock' | 'jobs'> & { publicUrl: string },
    private readonly hasher: PasswordHasher,
    private readonly throttle: IdentityThrottle,
    private readonly sessions: Sessions,
  ) {}

  /**
   * Answers before any look-up: the request only queues the work (the same insert whether or not the
   * e-mail has an account), so neither the answer nor its timing tells the caller which it was.
   */
  async forgot(email: string, ip: string): Promise<typeof RESET_REQUESTED> {
    await this.throttle.forgot(ip);
    await this.deps.jobs.enqueue('identity.mail-reset-link', { email });
    return RESET_REQUESTED;
  }

  /** The queued half of "forgot password" (a job): mails a reset link when the e-mail has an account. */
  async mailResetLink(email: string): Promise<void> {
    const user = await this.deps.em.findOne(User, { email });
    if (!user || !(await this.throttle.mayMailReset(email))) return;
    const token = newSecretToken();
    const expiresAt = new Date(this.deps.clock.now().getTime() + RESET_TOKEN_TTL_MS);
    this.deps.em.create(PasswordResetToken, { userId: user.id, tokenHash: hashSecretToken(token), expiresAt, usedAt: null });
    await this.deps.em.flush();
    const link = `${this.deps.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await this.deps.jobs.enqueue('mail.send', {
      to: email,
      subject: 'Reset your Larder password',
      text: `Someone asked to reset the password of your Larder account.\n\nTo choose a new password, open:\n${link}\n\nThe link works once, for ${RESET_TOKEN_TTL_MS / 60_000} minutes. If it was not you, ignore this mail.`,
    });
  }

  /** Sets a new password with a live reset token; every session of the account is revoked. */
  async reset(input: ResetPasswordInput, ip: string): Promise<void> {
    await this.throttle.reset(ip);
    const tokenHash = hashSecretToken(input.token);
    const now = this.deps.clock.now();
    // Cheap check first, so bogus tokens never cost a hash.
    const live = await this.deps.em.findOne(PasswordResetToken, { tokenHash, usedAt: null, expiresAt: { $gt: now } });
    if (!live) throw invalidToken();
    const passwordHash = await this.hasher.hash(input.password);
    await this.deps.em.transactional(async (em) => {
      // The conditional update is the single-use guarantee: of two resets racing, one claims the token.
      const claimed = await em.nativeUpdate(PasswordResetToken, { id: live.id, usedAt: null, expiresAt: { $gt: now } }, { usedAt: now });
      if (!claimed) throw invalidToken();
      await em.nativeUpdate(User, { id: live.userId }, { passwordHash, updatedAt: now });
      await em.nativeUpdate(PasswordResetToken, { userId: live.userId, usedAt: null }, { usedAt: now });
      await this.sessions.revokeAllOf(em, live.userId);
    });
  }
}
