/**
 * The one map of in-process domain events: name → payload. Modules publish these after their
 * transaction commits; the realtime layer, webhooks and notifications subscribe.
 */
export interface DomainEvents {
  'user.registered': { userId: string; role: string };
  'user.password_reset_requested': { userId: string; email: string; token: string; expiresAt: string };
}

export type DomainEventName = keyof DomainEvents;
