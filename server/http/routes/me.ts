import { HealthProfile, OtpRequested, PhoneConfirmInput, PhoneStartInput, UpdateMeInput, UserOutput } from '../../../domain/identity/index.js';
import type { Modules } from '../../../domain/modules.js';
import type { Api } from '../api.js';

const tags = ['identity'];

/** The signed-in user's account and health profile. */
export function registerMeRoutes(api: Api, { identity }: Modules): void {
  const { profile, phones } = identity;

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
    responses: {
      200: { description: 'The updated user; a new phone is pending (phoneVerified: false) until confirmed', schema: UserOutput },
      429: { description: 'Too many phone changes' },
    },
    handler: ({ user, body }) => profile.update(user.id, body),
  });
  api.add({
    method: 'post',
    path: '/me/phone',
    summary: 'Make a number the pending phone and send it a code (the same answer whoever holds the number)',
    tags,
    auth: 'user',
    body: PhoneStartInput,
    responses: { 202: { description: 'Code sent; the phone is pending', schema: OtpRequested }, 429: { description: 'Too many changes or codes' } },
    handler: ({ user, body, ctx }) => phones.start(user.id, body.phone, ctx.ip),
  });
  api.add({
    method: 'post',
    path: '/me/phone/verify',
    summary: 'Confirm the pending phone with the code sent to it',
    tags,
    auth: 'user',
    body: PhoneConfirmInput,
    responses: {
      200: { description: 'The user with phoneVerified: true', schema: UserOutput },
      409: { description: 'The number is confirmed on another account (told only to whoever holds it)' },
      422: { description: 'Wrong, expired or used code (names code)' },
    },
    handler: ({ user, body, ctx }) => phones.confirm(user.id, body.code, ctx.ip),
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
