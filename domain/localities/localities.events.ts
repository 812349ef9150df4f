import type { LocalityOutput } from './localities.schemas.js';

declare module '../shared/domain-events.js' {
  interface DomainEvents {
    /** A locality was created or changed (its time zone or daily times may have moved). */
    'locality.changed': { locality: LocalityOutput };
  }
}
