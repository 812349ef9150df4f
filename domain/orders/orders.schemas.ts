import { z } from 'zod';
import { MAX_LINE_QUANTITY } from '../inventory/index.js';
import { LocalitySlug } from '../localities/index.js';
import { ORDER_STATUSES } from './order.entity.js';
import { text } from '../shared/text.js';

export const MAX_ORDER_LINES = 100;
export const MAX_ADDONS_PER_LINE = 10;

export const DeliveryAddressInput = z
  .object({
    line1: text().trim().min(1).max(200),
    locality: text().trim().min(1).max(100),
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
  })
  .strict();

const OrderLineInput = z
  .object({
    productId: z.uuid(),
    quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
    addonIds: z.array(z.uuid()).max(MAX_ADDONS_PER_LINE).default([]),
  })
  .strict();

const orderFields = {
  fromCart: z.literal(true).optional(),
  items: z.array(OrderLineInput).min(1).max(MAX_ORDER_LINES).optional(),
  deliveryAddress: DeliveryAddressInput.optional(),
  mealSetId: z
    .uuid()
    .optional()
    .describe("order from this meal set: only its dishes (with their add-ons), today, in the caller's locality, before the cut-off"),
  expectedTotalCents: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe("the total the client showed; if today's prices make another, 409 PRICE_CHANGED and nothing is charged"),
};

function cartOrItems(v: { fromCart?: true; items?: unknown[] }, ctx: z.RefinementCtx): void {
  if (!v.fromCart === !v.items) ctx.addIssue({ code: 'custom', path: ['items'], message: 'Give either fromCart: true or items, not both' });
}

export const IdempotencyKeyValue = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** The body of POST /orders: the caller's cart, or explicit lines. */
export const PlaceOrderInput = z.object(orderFields).strict().superRefine(cartOrItems);
export type PlaceOrderInput = z.output<typeof PlaceOrderInput>;
/** order:place: the same fields plus the idempotency key (a header over REST). */
export const PlaceOrderSocketInput = z
  .object({ ...orderFields, idempotencyKey: IdempotencyKeyValue })
  .strict()
  .superRefine(cartOrItems);

export const OrderIdParams = z.object({ id: z.uuid() }).strict();
export const OrderWatchInput = z.object({ orderId: z.uuid() }).strict();
export const OrderStatusInput = z.object({ status: z.enum(ORDER_STATUSES) }).strict();
export const DriverLocationInput = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).strict();
export const DriverAvailabilityInput = z.object({ available: z.boolean(), locality: LocalitySlug.optional() }).strict();
export const DriverStateOutput = z.object({
  locality: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  available: z.boolean(),
  orderId: z.uuid().nullable().describe('the order the driver is assigned to'),
  delivering: z.boolean().describe('the order is out for delivery: positions are streamed to its watchers'),
});
export type DriverStateOutput = z.infer<typeof DriverStateOutput>;

const OrderItemView = z.object({
  productId: z.uuid(),
  name: z.string(),
  quantity: z.number().int(),
  unitPriceCents: z.number().int(),
  addons: z.array(z.object({ productId: z.uuid(), name: z.string(), quantity: z.number().int(), unitPriceCents: z.number().int() })),
});

export const OrderView = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  status: z.enum(ORDER_STATUSES),
  items: z.array(OrderItemView),
  totalCents: z.number().int(),
  currency: z.string(),
  deliveryAddress: DeliveryAddressInput.nullable(),
  driverId: z.uuid().nullable(),
  mealSetId: z.uuid().nullable().describe('the meal set the order was placed from'),
  createdAt: z.string(),
  updatedAt: z.string(),
  history: z.array(z.object({ status: z.enum(ORDER_STATUSES), at: z.string(), by: z.uuid().nullable() })),
});
export type OrderView = z.infer<typeof OrderView>;
