import { AdminUserOutput, UserIdParams } from '../../../domain/identity/index.js';
import type { Modules } from '../../../domain/modules.js';
import type { Api } from '../api.js';
import { z } from 'zod';

const tags = ['identity'];
const admins = ['admin'] as const;

/** Admin account control: a disabled account's sessions end, its tokens are refused and its sockets close. */
export function registerUserRoutes(api: Api, { identity }: Modules): void {
  api.add({
    method: 'post',
    path: '/users/:id/disable',
    summary: 'Disable an account: sessions revoked, tokens refused (401) and sockets disconnected on every instance',
    tags,
    auth: admins,
    params: UserIdParams,
    body: z.object({}).strict(),
    responses: { 200: { description: 'The account', schema: AdminUserOutput }, 404: { description: 'No such user' } },
    handler: ({ user, params }) => identity.admin.disable(user, params.id),
  });
  api.add({
    method: 'post',
    path: '/users/:id/enable',
    summary: 'Enable a disabled account (it signs in again; tokens from before the disable stay dead)',
    tags,
    auth: admins,
    params: UserIdParams,
    body: z.object({}).strict(),
    responses: { 200: { description: 'The account', schema: AdminUserOutput }, 404: { description: 'No such user' } },
    handler: ({ params }) => identity.admin.enable(params.id),
  });
}
