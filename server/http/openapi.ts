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
