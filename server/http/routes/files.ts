import Router from '@koa/router';
import type { ObjectStorage } from '../../../domain/shared/object-storage.js';
import { LocalStorage } from '../../platform/storage/index.js';

/**
 * `GET /files/<key>?expires=&type=&signature=`: what a local-storage signed URL points at. A missing,
 * forged or expired signature is answered 404, exactly like a missing file, so nothing is learnt by
 * probing. (With S3 storage, signed URLs point at the bucket and this route serves nothing.)
 */
export function filesRouter(storage: ObjectStorage): Router {
  const router = new Router();
  router.get('/files/*key', async (ctx) => {
    const key = String(ctx.params.key);
    const expires = Number(ctx.query.expires);
    const type = typeof ctx.query.type === 'string' ? ctx.query.type : '';
    const signature = typeof ctx.query.signature === 'string' ? ctx.query.signature : '';
    const valid = storage instanceof LocalStorage && /^[\w./-]+$/.test(key) && storage.verify(key, expires, type, signature);
    const body = valid ? await storage.get(key) : null;
    if (!body) {
      ctx.status = 404;
      ctx.type = 'application/problem+json';
      ctx.body = { type: 'about:blank', title: 'Not Found', status: 404, code: 'NOT_FOUND', detail: 'No such file, or the link expired' };
      return;
    }
    ctx.set('Cache-Control', `private, max-age=${Math.max(0, expires - Math.floor(Date.now() / 1000))}`);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = type || 'application/octet-stream';
    ctx.body = body;
  });
  return router;
}
