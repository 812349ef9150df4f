import type { AppContext } from '../../platform/app-context.js';
import type { SocketEvents } from '../handle.js';
import { rooms } from '../rooms.js';

/** import:watch / import:unwatch (imports and purges: their merchant or an admin). */
export function registerImportHandlers(context: AppContext, events: SocketEvents): void {
  const { service } = context.modules.imports;

  // Joins first, then reads: a change between the two is pushed, and the ack is never older than the room's first push.
  events.handle('import:watch', async ({ importId }, caller, socket) => {
    await service.get(caller, importId);
    await socket.join(rooms.import(importId));
    return service.get(caller, importId);
  });
  events.handle('import:unwatch', async ({ importId }, _caller, socket) => {
    await socket.leave(rooms.import(importId));
    return null;
  });
}
