import { Cart } from '../../../domain/cart/index.js';
import type { Modules } from '../../../domain/modules.js';
import type { Api } from '../api.js';

/** REST mirror of the socket cart: read-only. */
export function registerCartRoutes(api: Api, { cart }: Modules): void {
  api.add({
    method: 'get',
    path: '/cart',
    summary: "The caller's cart (reservations) with current prices and expiry",
    tags: ['cart'],
    auth: 'user',
    responses: { 200: { description: 'The cart', schema: Cart } },
    handler: ({ user }) => cart.cart.get(user.id),
  });
}
