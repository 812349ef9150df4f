import type { Context } from 'koa';
import { AppError } from '../../domain/shared/app-error.js';

export const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * Reads a JSON request body with a hard size limit: the stream is abandoned as soon as the limit
 * is crossed (413), so a client cannot make us buffer more than the limit.
 */
export async function readJsonBody(ctx: Context, limit = JSON_BODY_LIMIT): Promise<unknown> {
  const length = Number(ctx.get('content-length') || 0);
  const hasBody = length > 0 || ctx.get('transfer-encoding') !== '';
  if (!hasBody) return undefined;
  if (!ctx.is('application/json', 'application/*+json')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Request body must be application/json');
  }
  if (length > limit) throw new AppError('PAYLOAD_TOO_LARGE', `Request body exceeds ${limit} bytes`, { limit });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      ctx.req.unpipe();
      ctx.set('Connection', 'close');
      throw new AppError('PAYLOAD_TOO_LARGE', `Request body exceeds ${limit} bytes`, { limit });
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('BAD_REQUEST', 'Malformed JSON body');
  }
}
