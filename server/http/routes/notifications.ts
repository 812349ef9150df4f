import { z } from 'zod';
import type { Modules } from '../../../domain/modules.js';
import {
  DeviceInput,
  DeviceOutput,
  DeviceParams,
  ListNotificationsQuery,
  NotificationPage,
  NotificationParams,
  NotificationPreferencesInput,
  NotificationPreferencesOutput,
  NotificationView,
  ReadAllOutput,
} from '../../../domain/notifications/index.js';
import type { Api } from '../api.js';

const tags = ['notifications'];

/** The caller's notifications, channel preferences and push devices. */
export function registerNotificationRoutes(api: Api, { notifications }: Modules): void {
  const { inbox, preferences, devices } = notifications;

  api.add({
    method: 'get',
    path: '/notifications',
    summary: 'My notifications, newest first or unread first, with the unread count',
    tags,
    auth: 'user',
    query: ListNotificationsQuery,
    responses: { 200: { description: 'A page of notifications and unreadCount', schema: NotificationPage } },
    handler: ({ user, query }) => inbox.list(user.id, query),
  });
  api.add({
    method: 'post',
    path: '/notifications/read-all',
    summary: 'Mark all my notifications read',
    tags,
    auth: 'user',
    body: z.object({}).strict(),
    responses: { 200: { description: 'How many were marked, and the unread count after', schema: ReadAllOutput } },
    handler: ({ user }) => inbox.markAllRead(user.id),
  });
  api.add({
    method: 'post',
    path: '/notifications/:id/read',
    summary: 'Mark one of my notifications read',
    tags,
    auth: 'user',
    params: NotificationParams,
    body: z.object({}).strict(),
    responses: { 200: { description: 'The notification', schema: NotificationView }, 404: { description: 'No such notification of mine' } },
    handler: ({ user, params }) => inbox.markRead(user.id, params.id),
  });
  api.add({
    method: 'get',
    path: '/me/notification-preferences',
    summary: 'My channels besides in-app (e-mail, SMS, push) and quiet hours',
    tags,
    auth: 'user',
    responses: { 200: { description: 'The preferences (defaults until set)', schema: NotificationPreferencesOutput } },
    handler: ({ user }) => preferences.get(user.id),
  });
  api.add({
    method: 'put',
    path: '/me/notification-preferences',
    summary: 'Replace my channel preferences and quiet hours (e-mail, SMS and push wait until quiet hours end)',
    tags,
    auth: 'user',
    body: NotificationPreferencesInput,
    responses: { 200: { description: 'The stored preferences', schema: NotificationPreferencesOutput } },
    handler: ({ user, body }) => preferences.replace(user.id, body),
  });
  api.add({
    method: 'post',
    path: '/me/devices',
    summary: 'Register this device for push (a token already registered moves to me)',
    tags,
    auth: 'user',
    body: DeviceInput,
    responses: { 201: { description: 'The device', schema: DeviceOutput } },
    handler: ({ user, body }) => devices.register(user.id, body),
  });
  api.add({
    method: 'delete',
    path: '/me/devices/:id',
    summary: 'Stop pushing to one of my devices',
    tags,
    auth: 'user',
    params: DeviceParams,
    responses: { 204: { description: 'Forgotten' }, 404: { description: 'No such device of mine' } },
    handler: async ({ user, params }) => {
      await devices.remove(user.id, params.id);
    },
  });
  api.add({
    method: 'get',
    path: '/push/web-key',
    summary: 'The VAPID public key browsers subscribe to web push with (null when web push is not configured)',
    tags,
    auth: 'public',
    responses: { 200: { description: 'The key', schema: z.object({ publicKey: z.string().nullable() }) } },
    handler: async () => ({ publicKey: notifications.webPushPublicKey }),
  });
}
