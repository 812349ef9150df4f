import type { ModuleDeps } from '../shared/module-deps.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { ActorResolver } from './actor-resolver.js';
import type { AdminUserOutput } from './identity.schemas.js';
import type { Revocations } from './revocations.js';
import type { Sessions } from './sessions.js';
import { toUserOutput } from './user-output.js';
import { User } from './user.entity.js';

/**
 * Admins disabling and enabling accounts. Disabling revokes every refresh token, refuses every access
 * token signed until now on every instance (Revocations), and announces `user.disabled` so the realtime
 * adapter closes the account's sockets everywhere and its cart is released.
 */
export class UserAdminService {
  constructor(
    private readonly deps: Pick<ModuleDeps, 'uow' | 'clock'>,
    private readonly sessions: Sessions,
    private readonly revocations: Revocations,
    private readonly resolver: ActorResolver,
  ) {}

  async disable(admin: Actor, userId: string): Promise<AdminUserOutput> {
    if (admin.id === userId) throw AppError.validation([{ path: 'id', message: 'An admin cannot disable their own account' }]);
    const now = this.deps.clock.now();
    const user = await this.deps.uow.run(async (tx, emit) => {
      const found = await tx.findOne(User, { id: userId });
      if (!found) throw new AppError('NOT_FOUND', 'User not found');
      found.disabledAt ??= now;
      await this.sessions.revokeAllOf(tx, userId);
      emit('user.disabled', { userId });
      return found;
    });
    // After the commit (a rolled-back disable must not lock anyone out); before the answer, so the
    // admin's 200 means the tokens are already refused everywhere.
    await this.revocations.revokeTokensUntil(userId, now);
    this.resolver.forget(userId);
    return toAdminOutput(user);
  }

  async enable(userId: string): Promise<AdminUserOutput> {
    const user = await this.deps.uow.run(async (tx, emit) => {
      const found = await tx.findOne(User, { id: userId });
      if (!found) throw new AppError('NOT_FOUND', 'User not found');
      found.disabledAt = null;
      emit('user.enabled', { userId });
      return found;
    });
    return toAdminOutput(user);
  }
}

function toAdminOutput(user: User): AdminUserOutput {
  return { ...toUserOutput(user), disabledAt: user.disabledAt ? user.disabledAt.toISOString() : null };
}
