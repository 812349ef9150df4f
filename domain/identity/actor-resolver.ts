import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import type { AccessClaims, AccessTokens } from './access-token.js';
import { refusedBy, type Revocations } from './revocations.js';

const revokedSession = () => new AppError('UNAUTHENTICATED', 'This session was revoked');

/** How long this process trusts that an account exists and is enabled before asking PostgreSQL again. */
const ACTIVE_CACHE_MS = 30_000;
const ACTIVE_CACHE_MAX = 100_000;

/**
 * Who a bearer token speaks for, as every entry point resolves it (REST request, socket handshake,
 * auth:renew): a valid signature, not revoked (one Redis read: a disabled account's tokens stop at
 * once on every instance), and an account that exists and is enabled (PostgreSQL, remembered for
 * 30 s per user, so no request pays a database read for it in the steady state).
 */
export class ActorResolver {
  private readonly active = new Map<string, number>();

  constructor(
    private readonly tokens: AccessTokens,
    private readonly revocations: Revocations,
    private readonly em: EntityManager,
  ) {}

  /** The token's claims, or UNAUTHENTICATED for a bad, expired or revoked token, or a missing or disabled account. */
  async resolve(token: string | undefined | null): Promise<AccessClaims> {
    const claims = await this.tokens.verify(token);
    await Promise.all([this.assertNotRevoked(claims), this.assertActive(claims.userId)]);
    return claims;
  }

  /** Signature and expiry only (no I/O): the caller runs the other checks, alongside its own. */
  verify(token: string | undefined | null): Promise<AccessClaims> {
    return this.tokens.verify(token);
  }

  /** UNAUTHENTICATED when the token was signed before its account's sessions were revoked (one Redis read). */
  async assertNotRevoked(claims: AccessClaims): Promise<void> {
    if (await this.revocations.isRevoked(claims.userId, claims.issuedAt)) throw revokedSession();
  }

  /**
   * The revocation check for a caller that reads the mark in its own Redis script, alongside its own
   * keys (the socket handshake, with the user's socket slots): the key to read, and what to do with
   * its value (null when absent), which throws as `assertNotRevoked` would.
   */
  revocationCheck(claims: AccessClaims): { markKey: string; assert(mark: string | null): void } {
    return {
      markKey: this.revocations.markKey(claims.userId),
      assert: (mark) => {
        if (refusedBy(mark, claims.issuedAt)) throw revokedSession();
      },
    };
  }

  /** Forgets what this process knew of the account (it was disabled here). */
  forget(userId: string): void {
    this.active.delete(userId);
  }

  /** UNAUTHENTICATED when the account no longer exists or is disabled (PostgreSQL, remembered 30 s when it is fine). */
  private async assertActive(userId: string): Promise<void> {
    const checked = this.active.get(userId);
    if (checked !== undefined && Date.now() - checked < ACTIVE_CACHE_MS) return;
    const rows = await this.em.getConnection().execute<Array<{ disabled_at: Date | null }>>('select disabled_at from users where id = ?', [userId]);
    if (rows.length === 0) throw new AppError('UNAUTHENTICATED', 'Account no longer exists');
    if (rows[0].disabled_at) throw new AppError('UNAUTHENTICATED', 'Account disabled');
    if (this.active.size >= ACTIVE_CACHE_MAX) this.active.clear();
    this.active.set(userId, Date.now());
  }
}
