import { Cart } from '../../../domain/cart/cart.schemas.js';
import type { Container } from '../../container.js';
import type { Api } from '../api.js';

/** REST mirror of the socket cart: read-only. */
export function registerCartRoutes(api: Api, { services }: Container): void {
  api.add({
    method: 'get',
    path: '/cart',
    summary: "The caller's cart (reservations) with current prices and expiry",
    tags: ['cart'],
    auth: 'user',
    responses: { 200: { description: 'The cart', schema: Cart } },
    handler: ({ user }) => services.cart.get(user.id),
  });
}
