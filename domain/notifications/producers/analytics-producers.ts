import { producer } from '../notification-draft.js';

/** A failed POS sync, to its merchant (one per failed run: the event's id is the subject). */
export const posSyncFailed = producer('pos.sync_failed', ({ merchantId, connectionId, reason, message, needsReauth }, event) => [
  {
    userId: merchantId,
    type: 'pos.sync_failed',
    subject: event.id,
    title: needsReauth ? 'Reconnect your POS' : 'POS sync failed',
    body: needsReauth
      ? 'Square refused the access token: connect the POS again to resume syncing.'
      : `The last sync failed (${reason}): ${message}`.slice(0, 280),
    data: { connectionId, reason, needsReauth },
  },
]);

/** A failed simulation, to the merchant who ran it. */
export const simulationFailed = producer('simulation.failed', ({ merchantId, simulationId, reason, message }) => [
  {
    userId: merchantId,
    type: 'simulation.failed',
    subject: simulationId,
    title: 'Menu simulation failed',
    body: `The simulation could not finish (${reason}): ${message}`.slice(0, 280),
    data: { simulationId, reason },
  },
]);
