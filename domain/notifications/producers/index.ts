import type { NotificationProducer } from '../notification-draft.js';
import { posSyncFailed, simulationFailed } from './analytics-producers.js';
import { commentAdded } from './community-producers.js';
import { mealSetReminder } from './mealset-producers.js';
import { driverAssigned, orderStatusChanged } from './order-producers.js';
import { webhookEndpointDisabled } from './webhook-producers.js';

/**
 * Every domain event that notifies someone, one line each: the notifications module consumes each
 * from the outbox (at least once; the notifications' unique constraint makes a redelivery harmless).
 * Adding a producer: a mapping `producer('some.event', (payload) => drafts)` in a file here, and its line.
 */
export const builtInProducers: NotificationProducer[] = [
  orderStatusChanged,
  driverAssigned,
  mealSetReminder,
  commentAdded,
  posSyncFailed,
  simulationFailed,
  webhookEndpointDisabled,
];
