import type { NotificationPush } from './notifications.schemas.js';

declare module '../shared/domain-events.js' {
  interface DomainEvents {
    /** Notifications just created (in-process: each is pushed to its user's sockets on every instance). */
    'notifications.created': { items: Array<{ userId: string; notification: NotificationPush }> };
  }
}
