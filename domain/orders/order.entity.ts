import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const ORDER_STATUSES = ['placed', 'confirmed', 'preparing', 'ready', 'out_for_delivery', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface DeliveryAddress {
  line1: string;
  locality: string;
  lat: number;
  lng: number;
}

export const Order = defineEntity({
  name: 'Order',
  tableName: 'orders',
  properties: {
    id: p.uuid().primary(),
    customerId: p.uuid(),
    status: p.enum(ORDER_STATUSES),
    totalCents: p.bigint('number'),
    currency: p.string(),
    deliveryAddress: p.json<DeliveryAddress>().nullable(),
    locality: p.string().nullable(),
    driverId: p.uuid().nullable(),
    mealSetId: p.uuid().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Order = InferEntity<typeof Order>;

export const OrderItem = defineEntity({
  name: 'OrderItem',
  tableName: 'order_items',
  properties: {
    id: p.uuid().primary(),
    orderId: p.uuid(),
    productId: p.uuid(),
    merchantId: p.uuid(),
    parentItemId: p.uuid().nullable(),
    name: p.string(),
    quantity: p.integer(),
    unitPriceCents: p.integer(),
    position: p.integer(),
  },
});
export type OrderItem = InferEntity<typeof OrderItem>;

export const OrderMerchant = defineEntity({
  name: 'OrderMerchant',
  tableName: 'order_merchants',
  properties: {
    merchantId: p.uuid().primary(),
    orderId: p.uuid().primary(),
    createdAt: p.datetime(),
  },
});
export type OrderMerchant = InferEntity<typeof OrderMerchant>;

export const OrderStatusChange = defineEntity({
  name: 'OrderStatusChange',
  tableName: 'order_status_changes',
  properties: {
    id: p.uuid().primary(),
    orderId: p.uuid(),
    status: p.enum(ORDER_STATUSES),
    at: p.datetime(),
    byUserId: p.uuid().nullable(),
    byRole: p.string().nullable(),
  },
});
export type OrderStatusChange = InferEntity<typeof OrderStatusChange>;
