import type { AppContext } from '../../platform/app-context.js';
import { handle, type AppSocket } from '../handle.js';
import { rooms } from '../rooms.js';

/** import:watch / import:unwatch (imports and purges: their merchant or an admin). */
export function registerImportHandlers(context: AppContext, socket: AppSocket): void {
  const { service } = context.modules.imports;

  // Joins first, then reads: a change between the two is pushed, and the ack is never older than the room's first push.
  handle(context, socket, 'import:watch', async ({ importId }, caller) => {
    await service.get(caller, importId);
    await socket.join(rooms.import(importId));
    return service.get(caller, importId);
  });
  handle(context, socket, 'import:unwatch', async ({ importId }) => {
    await socket.leave(rooms.import(importId));
    return null;
  });
}
