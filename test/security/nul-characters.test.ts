import { randomUUID } from 'node:crypto';
import { createLocality } from '../support/localities.js';
import { countRows, placeOrder } from '../support/orders.js';
import { createProduct } from '../support/products.js';
import { emitRaw } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { useShop } from '../support/shop.js';

const NUL = '\u0000';
type JsonSchema = Record<string, any>;

/** Every string schema in a JSON Schema tree, with where it was found. */
function stringSchemas(node: unknown, where: string, found: Array<[string, JsonSchema]> = []): Array<[string, JsonSchema]> {
  if (!node || typeof node !== 'object') return found;
  const schema = node as JsonSchema;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('string')) found.push([where, schema]);
  for (const [key, child] of Object.entries(schema)) {
    if (child && typeof child === 'object') stringSchemas(child, `${where}.${key}`, found);
  }
  return found;
}

/** Formats whose grammar has no room for a NUL (zod checks them at runtime). */
const STRICT_FORMATS = new Set(['uuid', 'email', 'date-time', 'date']);

/** A string schema that accepts "a<NUL>b" (no enum, const, strict format or pattern that excludes it). */
function acceptsNul(schema: JsonSchema): boolean {
  // Uploaded files (photos, CSV) are bytes, not text: a NUL in them is data.
  if (schema.format === 'binary') return false;
  if (schema.enum || schema.const !== undefined || STRICT_FORMATS.has(schema.format)) return false;
  if (typeof schema.pattern !== 'string') return true;
  return new RegExp(schema.pattern, 'u').test(`a${NUL}b`);
}

describe('NUL characters in text fields', () => {
  const shop = useShop();

  test.each([
    ['a registration name', '/api/v1/auth/register', { email: `nul-${randomUUID()}@example.org`, password: 'long enough password', name: `Ann${NUL}` }, 'name'],
    ['a password', '/api/v1/auth/token', { email: 'someone@example.org', password: `pass${NUL}word` }, 'password'],
  ])('When %s carries a NUL, then 422 names the field (never a 500)', async (_what, path, body, field) => {
    const res = await shop.http.post(path, body);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  test('When PATCH /me sets a locality with a NUL, then 422 names locality and nothing changes', async () => {
    await createLocality(shop.app, { slug: 'leeds', name: 'Leeds', timeZone: 'Europe/London' });
    const user = await createUser(shop.app, 'customer', { locality: 'leeds' });
    const res = await shop.http.patch('/api/v1/me', { locality: `Leeds${NUL}` }, user.token);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('locality');
    expect((await shop.http.get('/api/v1/me', user.token)).body.locality).toBe('leeds');
  });

  test.each(['name', 'description', 'ingredients', 'sku'])('When a product %s carries a NUL, then 422 names it and nothing is created', async (field) => {
    const res = await shop.http.post(
      '/api/v1/products',
      { sku: `N-${randomUUID()}`, name: 'Oat milk', priceCents: 100, [field]: `x${NUL}y` },
      shop.merchant.token,
    );
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  test('When an order address line carries a NUL (REST or socket), then it is refused naming deliveryAddress.line1 and no order is written', async () => {
    const customer = await createUser(shop.app);
    const product = await createProduct(shop.app, shop.merchant, { stock: 5 });
    const before = await countRows(shop.app, 'orders');
    const deliveryAddress = { line1: `1 Main St${NUL}`, locality: 'leeds', lat: 53.8, lng: -1.55 };
    const res = await placeOrder(shop.app, customer, { items: [{ productId: product.id, quantity: 1 }], deliveryAddress });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['deliveryAddress.line1']);
    const socket = await shop.connect(customer);
    const ack = await emitRaw(socket, 'order:place', { idempotencyKey: randomUUID(), items: [{ productId: product.id, quantity: 1 }], deliveryAddress });
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION', errors: [{ path: 'deliveryAddress.line1' }] } });
    expect(await countRows(shop.app, 'orders')).toBe(before);
  });

  test('When a driver sends a locality with a NUL over the socket, then the ack is VALIDATION naming locality', async () => {
    const socket = await shop.connect(await createUser(shop.app, 'driver'));
    const ack = await emitRaw(socket, 'driver:availability', { available: true, locality: `leeds${NUL}` });
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION', errors: [{ path: 'locality' }] } });
  });

  test('When any REST or socket request schema declares a string, then it refuses NUL (one shared text schema)', async () => {
    const openApi = (await shop.http.get('/openapi.json')).body;
    const asyncApi = (await shop.http.get('/asyncapi.json')).body;
    const found: Array<[string, JsonSchema]> = [];
    for (const [path, operations] of Object.entries<Record<string, JsonSchema>>(openApi.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        stringSchemas(op.parameters, `${method} ${path} parameters`, found);
        stringSchemas(op.requestBody, `${method} ${path} body`, found);
      }
    }
    for (const [id, message] of Object.entries<JsonSchema>(asyncApi.components.messages)) {
      if (id.endsWith('.request')) stringSchemas(message.payload, id, found);
    }
    expect(found.length).toBeGreaterThan(20);
    expect(found.filter(([, schema]) => acceptsNul(schema)).map(([where]) => where)).toEqual([]);
  });
});
