import type { JobName } from '../domain/shared/job-queue.js';
import { assignWaitingDrivers } from './definitions/assign-waiting-drivers.js';
import { cleanupExpiredTokens } from './definitions/cleanup-expired-tokens.js';
import { cleanupIdempotencyKeys } from './definitions/cleanup-idempotency-keys.js';
import { deleteMerchantProducts } from './definitions/delete-merchant-products.js';
import { makeDiaryThumbnail } from './definitions/make-diary-thumbnail.js';
import { mailResetLink } from './definitions/mail-reset-link.js';
import { pruneOutbox } from './definitions/prune-outbox.js';
import { purgeDiaryTrash } from './definitions/purge-diary-trash.js';
import { deliverWebhook } from './definitions/deliver-webhook.js';
import { runImport } from './definitions/run-import.js';
import { sweepImports } from './definitions/sweep-imports.js';
import { sweepWebhooks } from './definitions/sweep-webhooks.js';
import { sendMail } from './definitions/send-mail.js';
import { sendMealSetReminders } from './definitions/send-meal-set-reminders.js';
import { runSimulation } from './definitions/run-simulation.js';
import { schedulePosSyncs } from './definitions/schedule-pos-syncs.js';
import { syncPos } from './definitions/sync-pos.js';
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
  'diary.purge-trash': purgeDiaryTrash,
  'diary.make-thumbnail': makeDiaryThumbnail,
  'mealsets.send-reminders': sendMealSetReminders,
  'analytics.pos-schedule': schedulePosSyncs,
  'analytics.pos-sync': syncPos,
  'analytics.simulate': runSimulation,
  'imports.run': runImport,
  'imports.sweep': sweepImports,
  'webhooks.deliver': deliverWebhook,
  'webhooks.sweep': sweepWebhooks,
};

export const definitions: AnyJobDefinition[] = Object.values(registry);

/** Boot check: every definition sits under its own name (the key and `name` cannot disagree). */
export function assertRegistry(entries: Record<string, AnyJobDefinition> = registry): void {
  const misplaced = Object.entries(entries)
    .filter(([key, d]) => d.name !== key)
    .map(([key]) => key);
  if (misplaced.length) throw new Error(`Job registry invalid: definitions under the wrong name [${misplaced}]`);
}
