import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const DEVICE_PLATFORMS = ['web', 'android', 'ios'] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

/** An in-app notification: one per user, type and subject (the table's unique constraint). */
export const Notification = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    type: p.string(),
    /** What it is about (an order and status, a locality's day…): the same subject never notifies twice. */
    subject: p.string(),
    title: p.string(),
    body: p.text(),
    data: p.json<Record<string, unknown>>(),
    createdAt: p.datetime(),
    readAt: p.datetime().nullable(),
  },
});
export type Notification = InferEntity<typeof Notification>;

/** Which channels besides in-app a user wants, and when not to be disturbed. Absent row = defaults. */
export const NotificationPreference = defineEntity({
  name: 'NotificationPreference',
  tableName: 'notification_preferences',
  properties: {
    userId: p.uuid().primary(),
    email: p.boolean(),
    sms: p.boolean(),
    push: p.boolean(),
    quietFrom: p.string().nullable(),
    quietTo: p.string().nullable(),
    quietTimeZone: p.string().nullable(),
    updatedAt: p.datetime(),
  },
});
export type NotificationPreference = InferEntity<typeof NotificationPreference>;

/** A phone or browser that receives push messages (a token is one device, whoever signed in on it last). */
export const Device = defineEntity({
  name: 'Device',
  tableName: 'devices',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    platform: p.enum(DEVICE_PLATFORMS),
    token: p.text(),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
  },
});
export type Device = InferEntity<typeof Device>;
