import type { ModuleDeps } from '../shared/module-deps.js';
import { AppError } from '../shared/app-error.js';
import type { HealthProfile } from './health-profile.js';
import type { UpdateMeInput, UserOutput } from './identity.schemas.js';
import type { PhoneVerificationService } from './phone-verification.service.js';
import { userConflict } from './user-conflicts.js';
import { toUserOutput } from './user-output.js';
import { User } from './user.entity.js';

/** The signed-in user's own account data and health profile. */
export class ProfileService {
  constructor(
    private readonly deps: Pick<ModuleDeps, 'em'>,
    private readonly phones: Pick<PhoneVerificationService, 'change'>,
  ) {}

  /** The caller's account. */
  async get(userId: string): Promise<UserOutput> {
    return toUserOutput(await this.load(userId));
  }

  /**
   * Changes name, phone and locality only; fields not sent stay as they are. A new phone is pending
   * until confirmed (POST /me/phone): the answer is the same whoever else holds the number.
   */
  async update(userId: string, patch: UpdateMeInput): Promise<UserOutput> {
    if (patch.phone !== undefined) await this.phones.change(userId, patch.phone);
    const user = await this.load(userId);
    if (patch.name !== undefined) user.name = patch.name;
    if (patch.locality !== undefined) user.locality = patch.locality;
    try {
      await this.deps.em.flush();
    } catch (err) {
      this.deps.em.clear(); // a failed flush leaves the unit of work dirty; nothing was written
      throw userConflict(err);
    }
    return toUserOutput(user);
  }

  /** The caller's health profile (empty lists when never set). */
  async healthProfile(userId: string): Promise<HealthProfile> {
    return (await this.load(userId)).healthProfile;
  }

  /** Replaces the caller's health profile. */
  async replaceHealthProfile(userId: string, profile: HealthProfile): Promise<HealthProfile> {
    const user = await this.load(userId);
    user.healthProfile = profile;
    await this.deps.em.flush();
    return user.healthProfile;
  }

  private async load(userId: string): Promise<User> {
    const user = await this.deps.em.findOne(User, { id: userId });
    // A valid token for a deleted account: the caller has to sign in again.
    if (!user) throw new AppError('UNAUTHENTICATED', 'Account no longer exists');
    return user;
  }
}
