import { z } from 'zod';
import { MAX_LINE_QUANTITY } from '../inventory/index.js';

export const MAX_WATCH_PER_CALL = 500;

const ProductId = z.uuid();

export const CartAddInput = z.object({ productId: ProductId, quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY) }).strict();
export const CartUpdateInput = z.object({ productId: ProductId, quantity: z.number().int().min(0).max(MAX_LINE_QUANTITY) }).strict();
export const CartRemoveInput = z.object({ productId: ProductId }).strict();
export const EmptyInput = z.object({}).strict();
export const WatchInput = z.object({ productIds: z.array(ProductId).min(1).max(MAX_WATCH_PER_CALL) }).strict();

export const CartItem = z.object({ productId: z.uuid(), quantity: z.number().int(), priceCents: z.number().int() });
export const Cart = z.object({
  items: z.array(CartItem),
  totalCents: z.number().int(),
  currency: z.string().length(3),
  expiresAt: z.string().nullable(),
});

export type CartAddInput = z.infer<typeof CartAddInput>;
export type CartUpdateInput = z.infer<typeof CartUpdateInput>;
export type Cart = z.infer<typeof Cart>;
