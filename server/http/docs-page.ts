import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';

/** The renderer's files, served from the swagger-ui-dist package: no CDN, nothing fetched at run time. */
const RENDERER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

/** /docs's own policy: scripts and styles from this origin only (the renderer sets style attributes, hence inline styles). */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Larder API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><p>Machine-readable contracts: REST <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1), Socket.IO events <a href="/asyncapi.json">/asyncapi.json</a> (AsyncAPI 3).</p>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`;

// A file, not an inline script, so the policy needs no 'unsafe-inline' for scripts.
const INIT_JS = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/** `GET /docs`: the OpenAPI document rendered by Swagger UI, every byte from this server, under DOCS_CSP. */
export function docsRouter(): Router {
  const router = new Router();
  router.get('/docs', (ctx) => {
    ctx.set('Content-Security-Policy', DOCS_CSP);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = DOCS_HTML;
  });
  router.get('/docs/assets/:file', (ctx) => {
    const file = String(ctx.params.file);
    ctx.set('Cache-Control', 'public, max-age=86400');
    if (file === 'init.js') {
      ctx.type = 'text/javascript; charset=utf-8';
      ctx.body = INIT_JS;
      return;
    }
    const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!type) return; // falls through to the 404 problem
    ctx.type = type;
    ctx.body = createReadStream(join(RENDERER_DIR, file));
  });
  return router;
}
