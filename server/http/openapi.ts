import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

/** The OpenAPI 3.1 document generated from the very schemas the routes validate with. */
export function buildOpenApiDocument(registry: OpenAPIRegistry, publicUrl: string): object {
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Larder API',
      version: '1.0.0',
      description: 'Realtime food-commerce backend. The Socket.IO events are described by the AsyncAPI document at /asyncapi.json.',
    },
    servers: [{ url: publicUrl }],
  });
}

/** A docs page rendering /openapi.json (Redoc from its CDN; the JSON itself needs no network). */
export const DOCS_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>Larder API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/openapi.json"></redoc>
<p>Machine-readable contracts: REST <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1), Socket.IO events <a href="/asyncapi.json">/asyncapi.json</a> (AsyncAPI 3).</p>
<script src="https://cdn.redoc.ly/redoc/v2.1.5/bundles/redoc.standalone.js"></script></body></html>`;
