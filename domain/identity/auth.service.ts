import type { ModuleDeps } from '../shared/module-deps.js';
import { AppError } from '../shared/app-error.js';
import type { IdentityThrottle } from './identity-throttle.js';
import type { AuthResult, LoginInput, RegisterInput } from './identity.schemas.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Sessions } from './sessions.js';
import { emailTaken, userConflict } from './user-conflicts.js';
import type { SessionUser } from './user-output.js';
import { User, type Role } from './user.entity.js';

interface LoginRow {
  id: string;
  email: string | null;
  phone: string | null;
  phone_verified: boolean;
  name: string;
  role: Role;
  locality: string | null;
  created_at: Date | string;
  password_hash: string | null;
  disabled_at: Date | null;
}

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'Wrong e-mail or password');

/** E-mail + password accounts: register, log in, refresh, log out. */
export class AuthService {
  constructor(
    private readonly deps: Pick<ModuleDeps, 'em' | 'uow'>,
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
      return await this.deps.uow.run(async (em, emit) => {
        const { email, name, role, phone } = input;
        // A phone given here is pending: it signs nothing in until a code sent to it is entered (POST /me/phone).
        const user = em.create(User, { email, name, role, phone: phone ?? null, phoneVerified: false, locality: null, passwordHash });
        await em.flush(); // the user row first: refresh_tokens references it
        emit('user.registered', { userId: user.id, role: user.role });
        return (await this.sessions.open(em, user)).result;
      });
    } catch (err) {
      throw userConflict(err);
    }
  }

  /**
   * Checks e-mail + password after the rate limits (and the account-wide backoff, when strangers hammer
   * the account); unknown e-mails cost a full hash too. A disabled account is told so only after the
   * right password.
   */
  async login(input: LoginInput, ip: string): Promise<AuthResult> {
    const { delayMs } = await this.throttle.login(input.email, ip);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const user = await this.findLoginUser(input.email);
    const ok = await this.hasher.verify(user?.passwordHash, input.password);
    if (!user || !ok) throw invalidCredentials();
    if (user.disabled) throw new AppError('FORBIDDEN', 'This account is disabled');
    // Hashes made with older, weaker parameters are upgraded while we hold the plain password.
    if (this.hasher.needsRehash(user.passwordHash!)) {
      const upgraded = await this.hasher.hash(input.password);
      await this.throttle.loginSucceeded(input.email, ip);
      return this.deps.em.transactional(async (em) => {
        await em.nativeUpdate(User, { id: user.id }, { passwordHash: upgraded });
        return (await this.sessions.open(em, user)).result;
      });
    }
    const [, result] = await Promise.all([this.throttle.loginSucceeded(input.email, ip), this.sessions.start(this.deps.em, user)]);
    return result;
  }

  /**
   * The account behind a login: one lean query, no entity hydration or identity map (the ORM's
   * per-query bookkeeping costs more event-loop time than the query itself on this hottest path).
   */
  private async findLoginUser(email: string): Promise<(SessionUser & { passwordHash: string | null; disabled: boolean }) | null> {
    const rows = await this.deps.em
      .getConnection()
      .execute<LoginRow[]>(
        'select id, email, phone, phone_verified, name, role, locality, created_at, password_hash, disabled_at from users where email = ? limit 1',
        [email],
      );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      email: row.email,
      phone: row.phone,
      phoneVerified: row.phone_verified,
      name: row.name,
      role: row.role,
      locality: row.locality,
      createdAt: new Date(row.created_at),
      passwordHash: row.password_hash,
      disabled: row.disabled_at !== null,
    };
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
