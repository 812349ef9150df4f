import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { Reply } from './api.js';

/**
 * Answers a GET body with a strong ETag over its JSON, or 304 when the client's If-None-Match already
 * names it. The tag covers the whole body, live `available` included, so a 304 is never stale.
 */
export function withEtag(ctx: Context, body: unknown): Reply {
  // Serialised once: the hashed string is the body sent, so Koa does not stringify it again.
  const json = JSON.stringify(body);
  const etag = `"${createHash('sha1').update(json).digest('base64url')}"`;
  const headers = { ETag: etag, 'Cache-Control': 'private, no-cache' };
  const sent = ctx.get('if-none-match');
  const matches = sent === '*' || sent.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
  if (matches) return new Reply(304, undefined, headers);
  return new Reply(200, json, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
}
