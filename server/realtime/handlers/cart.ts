import { AppError } from '../../../domain/shared/app-error.js';
import type { AppContext } from '../../platform/app-context.js';
import type { SocketEvents } from '../handle.js';
import { rooms } from '../rooms.js';

/** Product rooms one socket may watch at once (each `products:watch` call adds at most 500). */
export const MAX_WATCHED_PER_SOCKET = 2_000;

/** cart:get/add/update/remove/clear and products:watch/unwatch. */
export function registerCartHandlers(context: AppContext, events: SocketEvents): void {
  const { cart } = context.modules.cart;
  const { inventory, catalog } = context.modules;
  events.handle('cart:get', (_input, caller) => cart.get(caller.id));
  events.handle('cart:add', (input, caller) => cart.add(caller, input));
  events.handle('cart:update', (input, caller) => cart.update(caller, input));
  events.handle('cart:remove', (input, caller) => cart.remove(caller.id, input.productId));
  events.handle('cart:clear', (_input, caller) => cart.clear(caller.id));

  // The ack carries current availability, so a client cannot miss a change made between its
  // list request and the watch. Products the caller may not see (unknown, deleted, another merchant's
  // inactive ones) are answered exactly like unknown ones: 0, and not watched.
  events.handle('products:watch', async ({ productIds }, caller, socket) => {
    const visible = await catalog.forSale.visibleTo(caller, productIds);
    const watched = [...socket.rooms].filter((r) => r.startsWith('product:')).length;
    const adding = productIds.filter((id) => visible.has(id) && !socket.rooms.has(rooms.product(id)));
    if (watched + adding.length > MAX_WATCHED_PER_SOCKET) {
      throw AppError.validation([{ path: 'productIds', message: `A connection watches at most ${MAX_WATCHED_PER_SOCKET} products` }]);
    }
    await socket.join(adding.map(rooms.product));
    const available = await inventory.available([...visible]);
    return { available: Object.fromEntries(productIds.map((id) => [id, available.get(id) ?? 0])) };
  });
  events.handle('products:unwatch', async ({ productIds }, _caller, socket) => {
    for (const id of productIds) await socket.leave(rooms.product(id));
    return null;
  });
}
