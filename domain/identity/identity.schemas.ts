import { z } from 'zod';
import { LocalitySlug } from '../localities/index.js';
import { ROLES } from './user.entity.js';
import { text } from '../shared/text.js';

/** Trimmed and lower-cased before validation, so `Ann@X.org ` and `ann@x.org` are one account. */
export const Email = z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.email().max(254));
export const Password = text().min(10).max(256);
export const Phone = z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 number, e.g. +447911123456');
export const PersonName = text().trim().min(1).max(100);
/** The locality a user lives or drives in: the slug of a locality (any case; stored lower-cased). */
export const Locality = LocalitySlug;
/** Roles anyone may pick for themselves; `admin` only comes from ADMIN_EMAIL at start-up. */
export const SelfServiceRole = z.enum(['customer', 'merchant', 'driver']);
const OpaqueToken = text().min(1).max(512);

export const RegisterInput = z
  .object({ email: Email, password: Password, name: PersonName, role: SelfServiceRole.default('customer'), phone: Phone.optional() })
  .strict();
// Any length is accepted at login so a wrong password always gets the same INVALID_CREDENTIALS.
export const LoginInput = z.object({ email: Email, password: text().min(1).max(256) }).strict();
export const RefreshInput = z.object({ refreshToken: OpaqueToken }).strict();
export const LogoutInput = RefreshInput;
export const OtpRequestInput = z.object({ phone: Phone }).strict();
const OtpCodeValue = z.string().regex(/^\d{6}$/, 'must be the 6 digits sent by SMS');
export const OtpVerifyInput = z.object({ phone: Phone, code: OtpCodeValue }).strict();
/** POST /me/phone: the number to confirm (stored pending, a code is sent to it). */
export const PhoneStartInput = z.object({ phone: Phone }).strict();
/** POST /me/phone/verify: the code sent to the pending number. */
export const PhoneConfirmInput = z.object({ code: OtpCodeValue }).strict();
export const UserIdParams = z.object({ id: z.uuid() }).strict();
export const ForgotPasswordInput = z.object({ email: Email }).strict();
export const ResetPasswordInput = z.object({ token: OpaqueToken, password: Password }).strict();
/** What a user may change about themselves; role, e-mail and password have their own flows. */
export const UpdateMeInput = z.object({ name: PersonName, phone: Phone, locality: Locality.nullable() }).partial().strict();

export const UserOutput = z
  .object({
    id: z.uuid(),
    email: z.email().nullable(),
    phone: z.string().nullable(),
    phoneVerified: z.boolean().describe('the phone was confirmed with a code sent to it; pending numbers never sign in'),
    name: z.string(),
    role: z.enum(ROLES),
    locality: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .strict();
/** What an admin sees of an account it disables or enables. */
export const AdminUserOutput = UserOutput.extend({ disabledAt: z.iso.datetime().nullable() }).strict();
export const AuthResult = z
  .object({ user: UserOutput, accessToken: z.string(), refreshToken: z.string(), expiresIn: z.number().int().describe('access token lifetime, seconds') })
  .strict();
export const OtpRequested = z.object({ expiresIn: z.number().int().describe('code lifetime, seconds') }).strict();
export const ResetRequested = z.object({ message: z.string() }).strict();

export type RegisterInput = z.output<typeof RegisterInput>;
export type LoginInput = z.output<typeof LoginInput>;
export type OtpVerifyInput = z.output<typeof OtpVerifyInput>;
export type ResetPasswordInput = z.output<typeof ResetPasswordInput>;
export type UpdateMeInput = z.output<typeof UpdateMeInput>;
export type UserOutput = z.output<typeof UserOutput>;
export type AdminUserOutput = z.output<typeof AdminUserOutput>;
export type AuthResult = z.output<typeof AuthResult>;
