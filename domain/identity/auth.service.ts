import type { Deps } from '../../server/container.js';
import { AppError } from '../shared/app-error.js';
import type { IdentityThrottle } from './identity-throttle.js';
import type { AuthResult, LoginInput, RegisterInput } from './identity.schemas.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Sessions } from './sessions.js';
import { emailTaken, userConflict } from './user-conflicts.js';
import { User } from './user.entity.js';

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'Wrong e-mail or password');

/** E-mail + password accounts: register, log in, refresh, log out. */
export class AuthService {
  constructor(
    private readonly deps: Pick<Deps, 'em' | 'events'>,
    private readonly hasher: PasswordHasher,
    private readonly throttle: IdentityThrottle,
    private readonly sessions: Sessions,
  ) {}

  /** Creates an account (never an admin) and signs it in; EMAIL_TAKEN when the e-mail is in use. */
  async register(input: RegisterInput, ip: string): Promise<AuthResult> {
    await this.throttle.register(ip);
    if (await this.deps.em.count(User, { email: input.email })) throw emailTaken();
    const passwordHash = await this.hasher.hash(input.password);
    try {
      return await this.deps.events.afterCommit((emit) =>
        this.deps.em.transactional(async (em) => {
          const { email, name, role, phone } = input;
          const user = em.create(User, { email, name, role, phone: phone ?? null, locality: null, passwordHash });
          await em.flush(); // the user row first: refresh_tokens references it
          emit('user.registered', { userId: user.id, role: user.role });
          return (await this.sessions.open(em, user)).result;
        }),
      );
    } catch (err) {
      throw userConflict(err);
    }
  }

  /** Checks e-mail + password after the rate limits; unknown e-mails cost a full hash too. */
  async login(input: LoginInput, ip: string): Promise<AuthResult> {
    await this.throttle.login(input.email, ip);
    const user = await this.deps.em.findOne(User, { email: input.email });
    const ok = await this.hasher.verify(user?.passwordHash, input.password);
    if (!user || !ok) throw invalidCredentials();
    await this.throttle.loginSucceeded(input.email);
    // Hashes made with older, weaker parameters are upgraded while we hold the plain password.
    const upgraded = this.hasher.needsRehash(user.passwordHash!) ? await this.hasher.hash(input.password) : undefined;
    return this.deps.em.transactional(async (em) => {
      if (upgraded) await em.nativeUpdate(User, { id: user.id }, { passwordHash: upgraded });
      return (await this.sessions.open(em, user)).result;
    });
  }

  /** Swaps a refresh token for a new pair; a dead token revokes its family (TOKEN_REUSED). */
  async refresh(refreshToken: string): Promise<AuthResult> {
    // The reuse branch must commit its revocation, so the outcome is thrown only after the transaction.
    const outcome = await this.deps.em.transactional((em) => this.sessions.rotate(em, refreshToken));
    if (outcome.kind === 'reused') throw new AppError('TOKEN_REUSED', 'Refresh token was already used; every session of this login is revoked');
    if (outcome.kind === 'invalid') throw new AppError('INVALID_CREDENTIALS', 'Refresh token is invalid or expired');
    return outcome.result;
  }

  /** Ends the login the refresh token belongs to; unknown tokens are ignored. */
  async logout(refreshToken: string): Promise<void> {
    await this.sessions.revokeFamilyOf(this.deps.em, refreshToken);
  }
}
