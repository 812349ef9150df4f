import { z } from 'zod';
import { IMPORT_TYPES } from './import-types.js';

export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const IMPORT_PHASES = ['uploading', 'parsing', 'writing', 'finishing'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];
/** CSV import types, plus `purge` (DELETE /products?confirm=all), which reports the same progress. */
export const OPERATION_TYPES = [...IMPORT_TYPES, 'purge'] as const;

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const count = z.number().int().min(0);

export const CreateImportQuery = z
  .object({
    type: z.enum(IMPORT_TYPES),
    dryRun: flag.default(false).describe('validate and diff against the catalog without writing; answers 200 with the counts'),
    merchantId: z.uuid().optional().describe('admin only: whose catalog to import into'),
    importId: z.uuid().optional().describe('a client-chosen id, so `import:watch` can follow the upload from its first byte (409 when taken)'),
    ignoreUnknownColumns: flag.default(false).describe('skip columns the type does not know instead of refusing the file (422); they are listed'),
  })
  .strict();
export type CreateImportQuery = z.output<typeof CreateImportQuery>;

export const ImportIdParams = z.object({ id: z.uuid() }).strict();
export const ImportWatchInput = z.object({ importId: z.uuid() }).strict();

/** An import (or a purge) as its owner sees it: GET /imports/:id, the watch ack, every progress push. */
export const ImportView = z.object({
  id: z.uuid(),
  type: z.enum(OPERATION_TYPES),
  merchantId: z.uuid(),
  status: z.enum(IMPORT_STATUSES),
  phase: z.enum(IMPORT_PHASES),
  bytesTotal: count.nullable().describe('size of the upload when known (Content-Length, then the bytes received)'),
  bytesRead: count.describe('bytes of the upload received so far'),
  rowsRead: count.describe('data rows seen'),
  rowsUpserted: count.describe('distinct records inserted or really changed'),
  rowsUnchanged: count.describe('valid rows that changed nothing'),
  rowsDuplicate: count.describe('rows superseded by a later row with the same key (case-insensitive SKU)'),
  rowsRejected: count.describe('invalid rows (GET /imports/:id/errors lists them)'),
  rowsDeleted: count.describe('purge: products deleted so far'),
  percent: z.number().min(0).max(100).nullable(),
  etaSeconds: count.nullable(),
  ignoredColumns: z.array(z.string()),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  error: z.string().optional(),
});
export type ImportView = z.output<typeof ImportView>;

const Rejection = z.object({
  row: z.number().int().describe("the row's number as a spreadsheet shows it (the header is row 1)"),
  sku: z.string().nullable(),
  reason: z.string(),
});
export type Rejection = z.output<typeof Rejection>;

export const DryRunResult = z.object({
  wouldInsert: count,
  wouldUpdate: count,
  unchanged: count,
  duplicates: count,
  rejected: count,
  rejections: z.array(Rejection).describe('the first 100, by row'),
  ignoredColumns: z.array(z.string()),
});
export type DryRunResult = z.output<typeof DryRunResult>;
