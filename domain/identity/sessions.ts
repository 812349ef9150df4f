import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../shared/clock.js';
import type { AccessTokens } from './access-token.js';
import type { AuthResult } from './identity.schemas.js';
import { RefreshToken } from './refresh-token.entity.js';
import { hashSecretToken, newSecretToken } from './secret-token.js';
import { toUserOutput, type SessionUser } from './user-output.js';
import { User } from './user.entity.js';

export const REFRESH_TOKEN_TTL_MS = 24 * 3600 * 1000;

export type Rotation = { kind: 'rotated'; result: AuthResult } | { kind: 'reused' } | { kind: 'invalid' };

/**
 * Refresh-token sessions. A login opens a family; every refresh replaces the token with a new one of
 * the same family; presenting a token that was already replaced or revoked means two parties hold it
 * (one of them stole it), so the whole family dies.
 */
export class Sessions {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly clock: Clock,
  ) {}

  /** Adds a refresh token (a new family unless one is given) to `em`'s unit of work and signs an access token. */
  async open(em: EntityManager, user: SessionUser, familyId: string = randomUUID()): Promise<{ tokenId: string; result: AuthResult }> {
    const { row, refreshToken } = this.newToken(user, familyId);
    em.create(RefreshToken, row);
    return { tokenId: row.id, result: await this.result(user, refreshToken) };
  }

  /**
   * Opens a new family with a single INSERT, outside any unit of work and without entity metadata:
   * the login hot path, where a transaction around one row would only add two round trips.
   */
  async start(em: EntityManager, user: SessionUser): Promise<AuthResult> {
    const { row, refreshToken } = this.newToken(user, randomUUID());
    const insert = em.getConnection().execute(
      `insert into refresh_tokens (id, user_id, family_id, token_hash, expires_at, revoked_at, replaced_by, created_at)
       values (?, ?, ?, ?, ?, null, null, ?)`,
      [row.id, row.userId, row.familyId, row.tokenHash, row.expiresAt, row.createdAt],
      'run',
    );
    const [result] = await Promise.all([this.result(user, refreshToken), insert]);
    return result;
  }

  /** Rotates a refresh token; call inside a transaction: the row lock makes concurrent rotations of one token take turns. */
  async rotate(em: EntityManager, presented: string): Promise<Rotation> {
    const now = this.clock.now();
    const row = await em.findOne(RefreshToken, { tokenHash: hashSecretToken(presented) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!row) return { kind: 'invalid' };
    if (row.revokedAt || row.replacedBy) {
      await this.revokeFamily(em, row.familyId, now);
      return { kind: 'reused' };
    }
    if (row.expiresAt.getTime() <= now.getTime()) return { kind: 'invalid' };
    const user = await em.findOne(User, { id: row.userId });
    if (!user || user.disabledAt) return { kind: 'invalid' };
    const next = await this.open(em, user, row.familyId);
    row.revokedAt = now;
    row.replacedBy = next.tokenId;
    return { kind: 'rotated', result: next.result };
  }

  /** Revokes the family the presented token belongs to; an unknown token changes nothing. */
  async revokeFamilyOf(em: EntityManager, presented: string): Promise<void> {
    const row = await em.findOne(RefreshToken, { tokenHash: hashSecretToken(presented) });
    if (row) await this.revokeFamily(em, row.familyId, this.clock.now());
  }

  /** Revokes every live refresh token of a user (e.g. after a password reset). */
  async revokeAllOf(em: EntityManager, userId: string): Promise<void> {
    await em.nativeUpdate(RefreshToken, { userId, revokedAt: null }, { revokedAt: this.clock.now() });
  }

  private newToken(user: SessionUser, familyId: string) {
    const refreshToken = newSecretToken();
    const now = this.clock.now();
    const row = {
      id: randomUUID(),
      userId: user.id,
      familyId,
      tokenHash: hashSecretToken(refreshToken),
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS),
      revokedAt: null,
      replacedBy: null,
      createdAt: now,
    };
    return { row, refreshToken };
  }

  private async result(user: SessionUser, refreshToken: string): Promise<AuthResult> {
    const access = await this.tokens.sign(user.id, user.role);
    return { user: toUserOutput(user), accessToken: access.token, refreshToken, expiresIn: access.expiresIn };
  }

  private async revokeFamily(em: EntityManager, familyId: string, now: Date): Promise<void> {
    await em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: now });
  }
}
