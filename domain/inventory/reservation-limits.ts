/** Units of one product a holder (a cart line, an order line) may hold. */
export const MAX_LINE_QUANTITY = 999;
/** Lines one cart may hold. */
export const MAX_CART_LINES = 100;
