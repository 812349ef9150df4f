import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Context } from 'koa';
import { AppError } from '../../domain/shared/app-error.js';

/** An upload's bytes as they arrive, and their size when the client declared it. */
export interface UploadBody {
  stream: Readable;
  declaredBytes: number | null;
}

/** Media types a CSV arrives as (browsers send .csv as application/vnd.ms-excel on Windows); the bytes are sniffed anyway. */
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'application/octet-stream'];

/**
 * The file of an upload, streamed (never buffered whole): the raw body of a CSV request, or the
 * `file` field of a multipart/form-data request (busboy). Anything else is 415.
 */
export async function uploadBody(ctx: Context, field = 'file'): Promise<UploadBody> {
  const length = ctx.get('content-length');
  const declaredBytes = length === '' ? null : Number(length);
  if (declaredBytes === 0 || (declaredBytes === null && ctx.get('transfer-encoding') === '')) {
    throw AppError.validation([{ path: field, message: 'The request carries no file' }]);
  }
  if (ctx.is('multipart/form-data')) return { stream: await multipartFile(ctx, field), declaredBytes };
  if (ctx.is(CSV_TYPES)) return { stream: ctx.req, declaredBytes };
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the CSV as text/csv, or as the multipart/form-data field "${field}"`);
}

/** Resolves with the stream of the form's `field` file as soon as its part starts. */
function multipartFile(ctx: Context, field: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: ctx.req.headers, limits: { files: 1, fields: 20, fieldSize: 4096 } });
    } catch (err) {
      reject(AppError.validation([{ path: field, message: `Malformed multipart request: ${(err as Error).message}` }]));
      return;
    }
    let found = false;
    parser.on('file', (name, file) => {
      if (name !== field || found) return void file.resume();
      found = true;
      resolve(file);
    });
    parser.on('error', (err) => reject(AppError.validation([{ path: field, message: `Malformed multipart request: ${(err as Error).message}` }])));
    parser.on('close', () => {
      if (!found) reject(AppError.validation([{ path: field, message: `The form has no "${field}" file field` }]));
    });
    ctx.req.pipe(parser);
  });
}
