import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The live one-time code for a phone: hashed, expiring, with its wrong-try count and last send time. */
export const OtpCode = defineEntity({
  name: 'OtpCode',
  tableName: 'otp_codes',
  properties: {
    phone: p.string().primary(),
    codeHash: p.string(),
    expiresAt: p.datetime(),
    attempts: p.integer().default(0),
    sentAt: p.datetime(),
  },
});
export type OtpCode = InferEntity<typeof OtpCode>;
