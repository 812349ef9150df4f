import { PassThrough, type Readable } from 'node:stream';
import type { Context } from 'koa';

/**
 * The request body as a stream a service may abandon: the service reads (and on an error destroys) a
 * pass-through, never the request itself, so the socket survives to carry the 413/415 answer. Call
 * `abandon()` when the service failed: the rest of the body is not read, and the connection closes
 * after the answer (as in json-body.ts).
 */
export function streamedBody(ctx: Context): { body: Readable; declaredBytes: number | null; abandon(): void } {
  const body = new PassThrough();
  ctx.req.pipe(body);
  const length = ctx.get('content-length');
  return {
    body,
    declaredBytes: length === '' || !/^\d+$/.test(length) ? null : Number(length),
    abandon() {
      ctx.req.unpipe(body);
      if (!ctx.req.complete) ctx.set('Connection', 'close');
    },
  };
}
