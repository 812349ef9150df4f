import type { JobName } from '../domain/shared/job-queue.js';
import { assignWaitingDrivers } from './definitions/assign-waiting-drivers.js';
import { cleanupExpiredTokens } from './definitions/cleanup-expired-tokens.js';
import { cleanupIdempotencyKeys } from './definitions/cleanup-idempotency-keys.js';
import { deleteMerchantProducts } from './definitions/delete-merchant-products.js';
import { mailResetLink } from './definitions/mail-reset-link.js';
import { pruneOutbox } from './definitions/prune-outbox.js';
import { sendMail } from './definitions/send-mail.js';
import type { AnyJobDefinition, JobDefinition } from './job-definition.js';

/**
 * Every job the worker runs, keyed by name, one line per job. The type demands a definition for every
 * job name the modules declare (JobPayloads), so a job without a handler fails `npm run typecheck`.
 */
const registry: { [N in JobName]: JobDefinition<N> } = {
  'mail.send': sendMail,
  'identity.cleanup-expired-tokens': cleanupExpiredTokens,
  'identity.mail-reset-link': mailResetLink,
  'orders.assign-waiting-drivers': assignWaitingDrivers,
  'orders.cleanup-idempotency-keys': cleanupIdempotencyKeys,
  'catalog.delete-merchant-products': deleteMerchantProducts,
  'outbox.prune': pruneOutbox,
};

export const definitions: AnyJobDefinition[] = Object.values(registry);

/** Boot check: every definition sits under its own name (the key and `name` cannot disagree). */
export function assertRegistry(entries: Record<string, AnyJobDefinition> = registry): void {
  const misplaced = Object.entries(entries)
    .filter(([key, d]) => d.name !== key)
    .map(([key]) => key);
  if (misplaced.length) throw new Error(`Job registry invalid: definitions under the wrong name [${misplaced}]`);
}
