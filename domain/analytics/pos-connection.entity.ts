import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { POS_STATUSES } from './analytics.schemas.js';

/**
 * A merchant's POS connection. `checkpointClosedAt` .. `windowEndAt` is the query being paged (with
 * `cursor`, the next page); `version` fences page commits so a superseded run cannot move the checkpoint.
 */
export const PosConnection = defineEntity({
  name: 'PosConnection',
  tableName: 'analytics_pos_connections',
  properties: {
    id: p.uuid().primary(),
    merchantId: p.uuid(),
    provider: p.enum(['square'] as const),
    locationId: p.string(),
    baseUrl: p.string(),
    tokenCiphertext: p.text(),
    status: p.enum(POS_STATUSES),
    nextRunAt: p.datetime(),
    lastSuccessAt: p.datetime().nullable(),
    lastError: p.text().nullable(),
    lastErrorAt: p.datetime().nullable(),
    consecutiveFailures: p.integer().default(0),
    checkpointClosedAt: p.datetime(),
    windowEndAt: p.datetime().nullable(),
    cursor: p.text().nullable(),
    version: p.integer().default(1),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type PosConnection = InferEntity<typeof PosConnection>;

export const PosSyncRun = defineEntity({
  name: 'PosSyncRun',
  tableName: 'analytics_pos_sync_runs',
  properties: {
    id: p.uuid().primary(),
    connectionId: p.uuid(),
    trigger: p.enum(['schedule', 'manual', 'retry'] as const),
    outcome: p.enum(['running', 'ok', 'failed', 'superseded', 'interrupted'] as const),
    pages: p.integer().default(0),
    lines: p.integer().default(0),
    reason: p.string().nullable(),
    error: p.text().nullable(),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
  },
});
export type PosSyncRun = InferEntity<typeof PosSyncRun>;
