import type { Cart } from './cart.schemas.js';

declare module '../shared/domain-events.js' {
  interface DomainEvents {
    /** A price (or whether a product is for sale) in the customer's cart changed: the cart as it now is. */
    'cart.updated': { userId: string; cart: Cart };
  }
}

export {};
