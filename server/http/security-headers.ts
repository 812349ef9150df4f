import helmet from 'koa-helmet';
import type { Middleware } from 'koa';

/** Every answer but /docs is data: it may load nothing, run nothing and be framed by nobody. */
const API_CSP = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * Security headers on every response (koa-helmet): nosniff, X-Frame-Options DENY and frame-ancestors
 * 'none', no referrer, a deny-all CSP (docs-page.ts sets its own for /docs), and HSTS when the public
 * URL is https. Resources may be embedded cross-origin (photos in another origin's <img>), which
 * helmet's default same-origin resource policy would block.
 */
export function securityHeaders(publicUrl: string): Middleware {
  const https = new URL(publicUrl).protocol === 'https:';
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
}
