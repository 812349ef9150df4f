import type { Context } from 'koa';
import { AppError } from '../../domain/shared/app-error.js';
import type { ActorResolver } from '../../domain/identity/index.js';
import type { Actor, Role } from '../../domain/shared/actor.js';

/** Who may call a route: anyone, anyone (user attached when a valid token is sent), any user, or these roles. */
export type AuthRule = 'public' | 'optional' | 'user' | readonly Role[];

export function bearerToken(ctx: Context): string | undefined {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/**
 * Resolves the caller for a route's auth rule; a bad or revoked token, or one of a missing or disabled
 * account, is refused (401) even on optional routes.
 */
export async function authorize(ctx: Context, rule: AuthRule, actors: ActorResolver): Promise<Actor | undefined> {
  if (rule === 'public') return undefined;
  const token = bearerToken(ctx);
  if (!token) {
    if (rule === 'optional') return undefined;
    throw new AppError('UNAUTHENTICATED', ctx.get('authorization') ? 'Malformed Authorization header' : 'Missing access token');
  }
  const claims = await actors.resolve(token);
  const user: Actor = { id: claims.userId, role: claims.role };
  if (Array.isArray(rule) && user.role !== 'admin' && !rule.includes(user.role)) {
    throw new AppError('FORBIDDEN', `Requires role ${rule.join(' or ')}`);
  }
  ctx.state.user = user;
  return user;
}
