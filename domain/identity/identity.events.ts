import type { Role } from '../shared/actor.js';

declare module '../shared/domain-events.js' {
  interface DomainEvents {
    'user.registered': { userId: string; role: Role };
    /** An admin disabled the account: its tokens are refused and its sockets must close (every instance). */
    'user.disabled': { userId: string };
    'user.enabled': { userId: string };
  }
}
