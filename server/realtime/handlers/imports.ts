import type { AppContext } from '../../platform/app-context.js';
import type { SocketEvents } from '../handle.js';
import { rooms } from '../rooms.js';

/** import:watch / import:unwatch (imports and purges: their merchant or an admin). */
export function registerImportHandlers(context: AppContext, events: SocketEvents): void {
  const { service } = context.modules.imports;

  // Joins first, then reads: a change between the two is pushed, and the ack is never older than the room's first push.
  // A merchant may watch an id it chose (POST /imports?importId=) before the upload creates the import:
  // the ack is then null and the pushes start with the upload's first.
  events.handle('import:watch', async ({ importId }, caller, socket) => {
    const known = await service.watchable(caller, importId);
    await socket.join(known ? rooms.import(importId) : rooms.importOfMerchant(importId, caller.id));
    return service.watchable(caller, importId);
  });
  events.handle('import:unwatch', async ({ importId }, _caller, socket) => {
    await socket.leave(rooms.import(importId));
    await socket.leave(rooms.importOfMerchant(importId, socket.data.userId));
    return null;
  });
}
