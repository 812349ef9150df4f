import type { JobName } from '../domain/shared/job-queue.js';
import type { JobDefinition } from './job-definition.js';
import { sendMail } from './definitions/send-mail.js';
import { cleanupExpiredTokens } from './definitions/cleanup-expired-tokens.js';
import { deleteMerchantProducts } from './definitions/delete-merchant-products.js';
import { assignWaitingDrivers } from './definitions/assign-waiting-drivers.js';
import { cleanupIdempotencyKeys } from './definitions/cleanup-idempotency-keys.js';
import { pruneOutbox } from './definitions/prune-outbox.js';

/** Every job name the worker handles; boot fails on a name without a handler or with two. */
export const JOB_NAMES = ['mail.send', 'identity.cleanup-expired-tokens',
  'orders.assign-waiting-drivers', 'orders.cleanup-idempotency-keys', 'catalog.delete-merchant-products', 'outbox.prune'] as const satisfies readonly JobName[];

/** All definitions, one line per job. */
export const definitions: JobDefinition<any>[] = [
  sendMail,
  cleanupExpiredTokens,
  assignWaitingDrivers,
  cleanupIdempotencyKeys,
  deleteMerchantProducts,
  pruneOutbox,
];

export function assertRegistry(defs: JobDefinition<any>[], names: readonly string[] = JOB_NAMES): void {
  const seen = new Map<string, number>();
  for (const d of defs) seen.set(d.name, (seen.get(d.name) ?? 0) + 1);
  const missing = names.filter((n) => !seen.has(n));
  const doubled = [...seen].filter(([, count]) => count > 1).map(([n]) => n);
  const unknown = [...seen.keys()].filter((n) => !names.includes(n));
  if (missing.length || doubled.length || unknown.length) {
    throw new Error(`Job registry invalid: missing handlers [${missing}], defined twice [${doubled}], unknown [${unknown}]`);
  }
}
