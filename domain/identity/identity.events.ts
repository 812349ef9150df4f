import type { Role } from '../shared/actor.js';

declare module '../shared/domain-events.js' {
  interface DomainEvents {
    'user.registered': { userId: string; role: Role };
  }
}
