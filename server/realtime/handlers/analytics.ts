import { AppError } from '../../../domain/shared/app-error.js';
import type { AppContext } from '../../platform/app-context.js';
import type { SocketEvents } from '../handle.js';
import { rooms } from '../rooms.js';

/** simulation:watch/unwatch: a merchant follows one of their simulations, whichever worker runs it. */
export function registerAnalyticsHandlers(context: AppContext, events: SocketEvents): void {
  const { simulations } = context.modules.analytics;

  events.handle('simulation:watch', async ({ id }, caller, socket) => {
    if (caller.role !== 'merchant' && caller.role !== 'admin') throw new AppError('FORBIDDEN', 'Only merchants run simulations');
    // Join first, then read: a push sent between the two is not lost, and the ack is never older than the room.
    await socket.join(rooms.simulation(id));
    try {
      return await simulations.view(caller.id, id);
    } catch (err) {
      await socket.leave(rooms.simulation(id));
      throw err;
    }
  });
  events.handle('simulation:unwatch', async ({ id }, _caller, socket) => {
    await socket.leave(rooms.simulation(id));
    return null;
  });
}
