import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../shared/clock.js';
import type { AccessTokens } from './access-token.js';
import type { AuthResult } from './identity.schemas.js';
import { RefreshToken } from './refresh-token.entity.js';
import { hashSecretToken, newSecretToken } from './secret-token.js';
import { toUserOutput } from './user-output.js';
import { User } from './user.entity.js';

export const REFRESH_TOKEN_TTL_MS = 24 * 3600 * 1000;

export type Rotation = { kind: 'rotated'; result: AuthResult } | { kind: 'reused' } | { kind: 'invalid' };

/**
 * Refresh-token sessions. A login opens a family; every refresh replaces the token with a new one of
 * the same family; presenting a token that was already replaced or revoked means two parties hold it
 * (one of them stole it), so the whole family dies.
 */
export class Sessions {
  constructor(private readonly tokens: AccessTokens, private readonly clock: Clock) {}

  /** Adds a refresh token (a new family unless one is given) to `em`'s unit of work and signs an access token. */
  async open(em: EntityManager, user: User, familyId: string = randomUUID()): Promise<{ tokenId: string; result: AuthResult }> {
    const refreshToken = newSecretToken();
    const tokenId = randomUUID();
    em.create(RefreshToken, {
      id: tokenId,
      userId: user.id,
      familyId,
      tokenHash: hashSecretToken(refreshToken),
      expiresAt: new Date(this.clock.now().getTime() + REFRESH_TOKEN_TTL_MS),
      revokedAt: null,
      replacedBy: null,
    });
    const access = await this.tokens.sign(user.id, user.role);
    return { tokenId, result: { user: toUserOutput(user), accessToken: access.token, refreshToken, expiresIn: access.expiresIn } };
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
    if (!user) return { kind: 'invalid' };
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

  private async revokeFamily(em: EntityManager, familyId: string, now: Date): Promise<void> {
    await em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: now });
  }
}
