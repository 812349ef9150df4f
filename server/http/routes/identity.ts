import {
  AuthResult,
  ForgotPasswordInput,
  LoginInput,
  LogoutInput,
  OtpRequested,
  OtpRequestInput,
  OtpVerifyInput,
  RefreshInput,
  RegisterInput,
  ResetPasswordInput,
  ResetRequested,
} from '../../../domain/identity/index.js';
import type { Modules } from '../../../domain/modules.js';
import { Reply, type Api, type ResponseDoc } from '../api.js';

const tags = ['identity'];
const limited: Record<number, ResponseDoc> = { 429: { description: 'Too many attempts (Retry-After says when to try again)' } };
const badCredentials: Record<number, ResponseDoc> = { 401: { description: 'INVALID_CREDENTIALS' } };

/** Sign-up, sign-in (password or SMS code), token refresh, logout and password reset. */
export function registerIdentityRoutes(api: Api, { identity }: Modules): void {
  const { auth, otp, passwordReset } = identity;

  api.add({
    method: 'post',
    path: '/auth/register',
    summary: 'Create an account and sign in',
    tags,
    auth: 'public',
    body: RegisterInput,
    responses: { 201: { description: 'Account created', schema: AuthResult }, 409: { description: 'EMAIL_TAKEN' }, ...limited },
    handler: ({ body, ctx }) => auth.register(body, ctx.ip),
  });
  api.add({
    method: 'post',
    path: '/auth/token',
    summary: 'Sign in with e-mail and password',
    tags,
    auth: 'public',
    body: LoginInput,
    responses: { 200: { description: 'Signed in', schema: AuthResult }, ...badCredentials, ...limited },
    handler: ({ body, ctx }) => auth.login(body, ctx.ip),
  });
  api.add({
    method: 'post',
    path: '/auth/refresh',
    summary: 'Swap a refresh token for a new pair',
    tags,
    auth: 'public',
    body: RefreshInput,
    responses: {
      200: { description: 'New tokens; the presented one is dead', schema: AuthResult },
      401: { description: 'INVALID_CREDENTIALS or TOKEN_REUSED (family revoked)' },
    },
    handler: ({ body }) => auth.refresh(body.refreshToken),
  });
  api.add({
    method: 'post',
    path: '/auth/logout',
    summary: 'Revoke the refresh token and its rotations',
    tags,
    auth: 'public',
    body: LogoutInput,
    responses: { 204: { description: 'Signed out (also for an unknown token)' } },
    handler: async ({ body }) => new Reply(204, await auth.logout(body.refreshToken)),
  });
  api.add({
    method: 'post',
    path: '/auth/otp/request',
    summary: 'Send a 6-digit login code by SMS',
    tags,
    auth: 'public',
    body: OtpRequestInput,
    responses: { 202: { description: 'Code sent', schema: OtpRequested }, 429: { description: 'A code was sent within 30 s, or too many requests' } },
    handler: ({ body, ctx }) => otp.request(body.phone, ctx.ip),
  });
  api.add({
    method: 'post',
    path: '/auth/otp/verify',
    summary: 'Sign in with the SMS code (creates a customer on first login)',
    tags,
    auth: 'public',
    body: OtpVerifyInput,
    responses: { 200: { description: 'Signed in', schema: AuthResult }, ...badCredentials, ...limited },
    handler: ({ body, ctx }) => otp.verify(body, ctx.ip),
  });
  api.add({
    method: 'post',
    path: '/auth/password/forgot',
    summary: 'E-mail a password reset link',
    tags,
    auth: 'public',
    body: ForgotPasswordInput,
    responses: { 202: { description: 'Same answer whether or not the e-mail has an account', schema: ResetRequested }, ...limited },
    handler: ({ body, ctx }) => passwordReset.forgot(body.email, ctx.ip),
  });
  api.add({
    method: 'post',
    path: '/auth/password/reset',
    summary: 'Set a new password with a reset token',
    tags,
    auth: 'public',
    body: ResetPasswordInput,
    responses: { 204: { description: 'Password changed; every session revoked' }, 401: { description: 'Token invalid, used or expired' }, ...limited },
    handler: async ({ body, ctx }) => new Reply(204, await passwordReset.reset(body, ctx.ip)),
  });
}
