import { Readable } from 'node:stream';
import { CreateImportQuery, DryRunResult, ImportIdParams, ImportView } from '../../../domain/imports/index.js';
import type { Modules } from '../../../domain/modules.js';
import { Reply, type Api } from '../api.js';
import { uploadBody } from '../upload-body.js';

const tags = ['imports'];
const owners = ['merchant'] as const; // admins pass every role rule
const notFound = { 404: { description: "No such import (or another merchant's)" } };

/** CSV imports: upload (streamed), dry run, state, rejected rows, cancel. */
export function registerImportRoutes(api: Api, { imports }: Modules): void {
  const { service } = imports;

  api.add({
    method: 'post',
    path: '/imports',
    summary: 'Import a CSV (streamed): 202 and a job; with dryRun=true, 200 with what it would change',
    tags,
    auth: owners,
    query: CreateImportQuery,
    rawBody: {
      contentTypes: ['text/csv', 'multipart/form-data'],
      description: 'The CSV as the raw body, or the multipart/form-data field "file". UTF-8 (a BOM is fine); the first line names the columns.',
    },
    responses: {
      202: { description: 'Queued (follow it with import:watch or GET /imports/:id)', schema: ImportView },
      200: { description: 'dryRun=true: what the import would do; nothing was written', schema: DryRunResult },
      409: { description: 'importId already in use' },
      413: { description: 'Larger than IMPORT_MAX_BYTES (refused as soon as the limit is crossed)' },
      415: { description: 'Not CSV text (sniffed: an Excel workbook, an image, UTF-16, binary)' },
      422: { description: 'No header, or a header missing required columns or naming unknown ones (named in `errors`)' },
    },
    handler: async ({ user, query, ctx }) => {
      try {
        const body = await uploadBody(ctx);
        const upload = { caller: user, query, body: body.stream, declaredBytes: body.declaredBytes };
        if (query.dryRun) return new Reply(200, await service.dryRun(upload));
        return new Reply(202, await service.start(upload));
      } catch (err) {
        if (!ctx.req.readableEnded) ctx.set('Connection', 'close'); // the rest of a refused upload is not read
        throw err;
      }
    },
  });
  api.add({
    method: 'get',
    path: '/imports/:id',
    summary: 'An import (or a purge) with its progress',
    tags,
    auth: owners,
    params: ImportIdParams,
    responses: { 200: { description: 'The import', schema: ImportView }, ...notFound },
    handler: ({ user, params }) => service.get(user, params.id),
  });
  api.add({
    method: 'get',
    path: '/imports/:id/errors',
    summary: 'Rejected rows as CSV: row,sku,reason (row numbers as a spreadsheet shows them; the header is row 1)',
    tags,
    auth: owners,
    params: ImportIdParams,
    responses: { 200: { description: 'row,sku,reason', contentType: 'text/csv' }, ...notFound },
    handler: async ({ user, params, ctx }) => {
      const lines = await service.errors(user, params.id);
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="import-${params.id}-errors.csv"`);
      ctx.body = Readable.from(lines);
      return undefined;
    },
  });
  api.add({
    method: 'delete',
    path: '/imports/:id',
    summary: 'Cancel: stops at the next batch boundary; committed batches stay',
    tags,
    auth: owners,
    params: ImportIdParams,
    responses: {
      202: { description: 'Cancelling (or cancelled, when no worker had started it)', schema: ImportView },
      ...notFound,
      409: { description: 'Already finished' },
    },
    handler: async ({ user, params }) => new Reply(202, await service.cancel(user, params.id)),
  });
}
