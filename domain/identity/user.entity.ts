import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

import { ROLES } from '../shared/actor.js';
import type { HealthProfile } from './health-profile.js';

export { ROLES, type Role } from '../shared/actor.js';

/** Stored as jsonb; validated by HealthProfile on the way in. */
export type HealthProfileData = HealthProfile;

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    email: p.string().nullable(),
    phone: p.string().nullable(),
    /** The phone belongs to this account only once a code sent to it was entered here (pending until then). */
    phoneVerified: p.boolean().default(false),
    passwordHash: p.string().nullable().hidden(),
    name: p.string().default(''),
    role: p.enum(ROLES),
    locality: p.string().nullable(),
    /** Set by an admin: the account's tokens and sessions stop working and it cannot sign in. */
    disabledAt: p.datetime().nullable(),
    healthProfile: p.json<HealthProfileData>().onCreate(() => ({ conditions: [], diets: [], allergens: [] })),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type User = InferEntity<typeof User>;
