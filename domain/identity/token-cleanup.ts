import type { EntityManager } from '@mikro-orm/postgresql';
import type { QueryResult } from '@mikro-orm/core';
import type { Clock } from '../shared/clock.js';

/** Removes credentials that can no longer be used. */
export class TokenCleanup {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  /**
   * A refresh-token family is kept until its newest token expires, so a replayed old token is still
   * recognised as reuse (and revokes the family) for as long as any member could be valid.
   */
  async removeExpired(): Promise<{ refreshTokens: number; resetTokens: number; otpCodes: number }> {
    const now = this.clock.now();
    const conn = this.em.getConnection();
    const refresh = await conn.execute<QueryResult>(
      `delete from refresh_tokens where family_id in
         (select family_id from refresh_tokens group by family_id having max(expires_at) < ?)`,
      [now],
      'run',
    );
    const reset = await conn.execute<QueryResult>(`delete from password_reset_tokens where expires_at < ? or used_at is not null`, [now], 'run');
    const otp = await conn.execute<QueryResult>(`delete from otp_codes where expires_at < ?`, [now], 'run');
    return { refreshTokens: refresh.affectedRows, resetTokens: reset.affectedRows, otpCodes: otp.affectedRows };
  }
}
