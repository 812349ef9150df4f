import { HealthProfile, UpdateMeInput, UserOutput } from '../../../domain/identity/index.js';
import type { Modules } from '../../../domain/modules.js';
import type { Api } from '../api.js';

const tags = ['identity'];

/** The signed-in user's account and health profile. */
export function registerMeRoutes(api: Api, { identity }: Modules): void {
  const { profile } = identity;

  api.add({
    method: 'get',
    path: '/me',
    summary: 'The signed-in user',
    tags,
    auth: 'user',
    responses: { 200: { description: 'The user', schema: UserOutput } },
    handler: ({ user }) => profile.get(user.id),
  });
  api.add({
    method: 'patch',
    path: '/me',
    summary: 'Change name, phone or locality',
    tags,
    auth: 'user',
    body: UpdateMeInput,
    responses: { 200: { description: 'The updated user', schema: UserOutput }, 409: { description: 'Phone used by another account' } },
    handler: ({ user, body }) => profile.update(user.id, body),
  });
  api.add({
    method: 'get',
    path: '/me/health-profile',
    summary: "The signed-in user's health profile",
    tags,
    auth: 'user',
    responses: { 200: { description: 'Conditions, diets, allergens and optional limits', schema: HealthProfile } },
    handler: ({ user }) => profile.healthProfile(user.id),
  });
  api.add({
    method: 'put',
    path: '/me/health-profile',
    summary: 'Replace the health profile',
    tags,
    auth: 'user',
    body: HealthProfile,
    responses: { 200: { description: 'The stored profile', schema: HealthProfile } },
    handler: ({ user, body }) => profile.replaceHealthProfile(user.id, body),
  });
}
