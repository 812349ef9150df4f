import { AppError } from '../../../domain/shared/app-error.js';
import type { AppContext } from '../../platform/app-context.js';
import { handle, type AppSocket } from '../handle.js';
import { rooms } from '../rooms.js';

/** simulation:watch/unwatch: a merchant follows one of their simulations, whichever worker runs it. */
export function registerAnalyticsHandlers(context: AppContext, socket: AppSocket): void {
  const { simulations } = context.modules.analytics;

  handle(context, socket, 'simulation:watch', async ({ id }, caller) => {
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
  handle(context, socket, 'simulation:unwatch', async ({ id }) => {
    await socket.leave(rooms.simulation(id));
    return null;
  });
}
