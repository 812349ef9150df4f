import { text } from '../shared/text.js';
import { z } from 'zod';
import { TimeOfDay, TimeZone } from '../localities/index.js';
import { PageQuery } from '../shared/pagination.js';
import { DEVICE_PLATFORMS } from './notification.entity.js';

/** A notification as pushed (`notification` socket event) and listed. */
export const NotificationPush = z.object({
  id: z.uuid(),
  type: z.string().describe('what happened, e.g. order.status_changed, mealset.reminder'),
  title: z.string(),
  body: z.string(),
  data: z.record(z.string(), z.unknown()).describe('ids the app needs to open what it is about'),
  createdAt: z.iso.datetime(),
});
export type NotificationPush = z.output<typeof NotificationPush>;

export const NotificationView = NotificationPush.extend({ readAt: z.iso.datetime().nullable() });
export type NotificationView = z.output<typeof NotificationView>;

export const ListNotificationsQuery = PageQuery.extend({
  sort: z.enum(['newest', 'unread']).default('newest').describe('newest first, or unread first (each newest first)'),
}).strict();
export type ListNotificationsQuery = z.output<typeof ListNotificationsQuery>;

export const NotificationPage = z.object({
  items: z.array(NotificationView),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int(),
});
export type NotificationPage = z.output<typeof NotificationPage>;

export const NotificationParams = z.object({ id: z.uuid() }).strict();
export const ReadAllOutput = z.object({ read: z.number().int().describe('notifications marked read now'), unreadCount: z.number().int() });

const QuietHoursInput = z
  .object({
    from: TimeOfDay,
    to: TimeOfDay,
    timeZone: TimeZone.optional().describe("defaults to the locality's time zone (else UTC) when saved"),
  })
  .strict()
  .refine((q) => q.from !== q.to, { path: ['to'], message: 'must differ from from' });

/** In-app is always on; these are the other channels. Quiet hours defer e-mail, SMS and push until they end. */
export const NotificationPreferencesInput = z
  .object({ email: z.boolean(), sms: z.boolean(), push: z.boolean(), quietHours: QuietHoursInput.nullable().optional() })
  .strict();
export type NotificationPreferencesInput = z.output<typeof NotificationPreferencesInput>;

export const NotificationPreferencesOutput = z.object({
  email: z.boolean(),
  sms: z.boolean(),
  push: z.boolean(),
  quietHours: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }).nullable(),
});
export type NotificationPreferencesOutput = z.output<typeof NotificationPreferencesOutput>;

export const DeviceInput = z
  .object({
    platform: z.enum(DEVICE_PLATFORMS),
    token: text().trim().min(1).max(4096).describe("FCM/APNs token; for web, the browser's PushSubscription as JSON"),
  })
  .strict();
export type DeviceInput = z.output<typeof DeviceInput>;
export const DeviceOutput = z.object({ id: z.uuid(), platform: z.enum(DEVICE_PLATFORMS), createdAt: z.iso.datetime() });
export type DeviceOutput = z.output<typeof DeviceOutput>;
export const DeviceParams = z.object({ id: z.uuid() }).strict();
