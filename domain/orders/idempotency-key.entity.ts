import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The stored outcome of the first request with a given Idempotency-Key, per user. */
export const IdempotencyKey = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  properties: {
    userId: p.uuid().primary(),
    key: p.string().primary(),
    requestHash: p.string(),
    statusCode: p.integer(),
    response: p.json<Record<string, unknown>>(),
    createdAt: p.datetime(),
  },
});
export type IdempotencyKey = InferEntity<typeof IdempotencyKey>;
