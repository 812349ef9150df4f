import type { EntityManager } from '@mikro-orm/postgresql';
import { Webhook } from 'standardwebhooks';
import { eventually } from '../support/eventually.js';
import { finishedImport, productsCsv, uploadCsv } from '../support/imports.js';
import { placeOrder } from '../support/orders.js';
import { createProduct } from '../support/products.js';
import { createUser, type TestUser } from '../support/users.js';
import { WebhookReceiver, type ReceivedWebhook } from '../support/webhook-receiver.js';
import { useWorld } from '../support/world.js';

/** The Standard Webhooks headers of a received request, as the verifier takes them. */
const headersOf = (r: ReceivedWebhook) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});

describe('webhooks: signed deliveries, retries, disabling', () => {
  const world = useWorld({ merchant: true, variables: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
  let receiver: WebhookReceiver;
  const em = () => world.app.container.orm.em.fork() as EntityManager;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver.close());

  const register = async (merchant: TestUser, events: string[], path = '/hook') => {
    const res = await world.http.post('/api/v1/webhooks', { url: receiver.url(path), events }, merchant.token);
    if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; secret: string };
  };
  const deliveriesOf = async (merchant: TestUser, endpointId: string) =>
    (await world.http.get(`/api/v1/webhooks/${endpointId}/deliveries`, merchant.token)).body.items;

  test('When a product is created, then the endpoint receives it signed per Standard Webhooks, verified by an independent implementation', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const endpoint = await register(merchant, ['product.created'], '/products');
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const product = await createProduct(world.app, merchant, { stock: 4 });
    const [got] = await eventually(
      async () => receiver.of('product.created', '/products'),
      (r) => r.length === 1,
    );
    const verified = new Webhook(endpoint.secret).verify(got.body, headersOf(got)) as { type: string; data: unknown; timestamp: string };
    expect(verified).toMatchObject({ type: 'product.created', data: { productId: product.id, merchantId: merchant.id, stock: 4 } });
    expect(String(got.headers['webhook-id'])).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(() => new Webhook(`whsec_${Buffer.from('not the secret').toString('base64')}`).verify(got.body, headersOf(got))).toThrow();
    const [delivery] = await deliveriesOf(merchant, endpoint.id);
    expect(delivery).toMatchObject({ event: 'product.created', attempt: 1, status: 'succeeded', responseStatus: 200, nextAttemptAt: null });
  });

  test('When an import writes 200 products, then the endpoint gets one products.imported summary, not one delivery per row', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const endpoint = await register(merchant, ['products.imported', 'product.created', 'product.updated'], '/imports');
    const res = await uploadCsv(world.app, merchant.token, productsCsv(200));
    await finishedImport(world.app, merchant.token, res.body.id);
    await eventually(
      async () => receiver.of('products.imported', '/imports'),
      (r) => r.length === 1,
    );
    await new Promise((r) => setTimeout(r, 500)); // room for wrong extra deliveries
    expect(receiver.received.filter((r) => r.path === '/imports')).toHaveLength(1);
    const body = new Webhook(endpoint.secret).verify(
      receiver.of('products.imported', '/imports')[0].body,
      headersOf(receiver.of('products.imported', '/imports')[0]),
    );
    expect(body).toMatchObject({ data: { importId: res.body.id, merchantId: merchant.id, status: 'completed', rowsUpserted: 200 } });
  });

  test('When a merchant deletes all products, then an endpoint following product.deleted gets one products.purged summary', async () => {
    const merchant = await createUser(world.app, 'merchant');
    await register(merchant, ['product.deleted'], '/purge');
    await finishedImport(world.app, merchant.token, (await uploadCsv(world.app, merchant.token, productsCsv(30))).body.id);
    const res = await world.http.request('DELETE', '/api/v1/products?confirm=all', { token: merchant.token });
    await finishedImport(world.app, merchant.token, res.body.jobId);
    const [got] = await eventually(
      async () => receiver.received.filter((r) => r.path === '/purge'),
      (r) => r.length === 1,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received.filter((r) => r.path === '/purge')).toHaveLength(1);
    expect(JSON.parse(got.body)).toMatchObject({ type: 'products.purged', data: { operationId: res.body.jobId, merchantId: merchant.id, deleted: 30 } });
  });

  test('When an order is placed, then order.created reaches the merchant with the order and without other merchants', async () => {
    const merchant = await createUser(world.app, 'merchant');
    await register(merchant, ['order.created'], '/orders');
    const product = await createProduct(world.app, merchant, { stock: 3 });
    const customer = await createUser(world.app);
    const placed = await placeOrder(world.app, customer, { items: [{ productId: product.id, quantity: 1 }] });
    const [got] = await eventually(
      async () => receiver.of('order.created', '/orders'),
      (r) => r.length === 1,
    );
    const body = JSON.parse(got.body);
    expect(body.data.order).toMatchObject({ id: placed.body.id, status: 'placed' });
    expect(body.data.merchantIds).toBeUndefined();
  });

  test('When the receiver answers 500, then the same message is retried (same webhook-id) after about 5 s and succeeds', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const endpoint = await register(merchant, ['product.updated'], '/flaky');
    const product = await createProduct(world.app, merchant);
    receiver.answer(500);
    await world.http.patch(`/api/v1/products/${product.id}`, { name: 'Renamed' }, merchant.token);
    const [first, second] = await eventually(
      async () => receiver.of('product.updated', '/flaky'),
      (r) => r.length === 2,
      20_000,
    );
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    expect(second.at - first.at).toBeGreaterThanOrEqual(3_900);
    new Webhook(endpoint.secret).verify(second.body, headersOf(second));
    const log = await eventually(
      () => deliveriesOf(merchant, endpoint.id),
      (items) => items[0]?.status === 'succeeded',
    );
    expect(log.map((d: { attempt: number; status: string; responseStatus: number }) => [d.attempt, d.status, d.responseStatus])).toEqual([
      [2, 'succeeded', 200],
      [1, 'failed', 500],
    ]);
    expect(log[1].nextAttemptAt).not.toBeNull();
  }, 30_000);

  test('When the receiver answers 410, then the endpoint is disabled at once, webhook.endpoint_disabled is emitted and its merchant notified', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const endpoint = await register(merchant, ['product.created'], '/gone');
    const disabled: unknown[] = [];
    const off = world.app.container.events.subscribe('webhook.endpoint_disabled', (e) => void disabled.push(e));
    receiver.answer(410);
    await createProduct(world.app, merchant);
    const view = await eventually(
      async () => (await world.http.get(`/api/v1/webhooks/${endpoint.id}`, merchant.token)).body,
      (v) => v.enabled === false,
    );
    off();
    expect(view.disabledReason).toBe('the receiver answered 410 Gone');
    expect(disabled).toEqual([{ endpointId: endpoint.id, merchantId: merchant.id, url: receiver.url('/gone'), reason: 'the receiver answered 410 Gone' }]);
    expect((await deliveriesOf(merchant, endpoint.id))[0]).toMatchObject({ status: 'failed', responseStatus: 410, nextAttemptAt: null });
    const notified = await eventually(
      async () => (await world.http.get('/api/v1/notifications', merchant.token)).body.items,
      (items: Array<{ type: string }>) => items.some((n) => n.type === 'webhook.endpoint_disabled'),
    );
    expect(notified.find((n: { type: string }) => n.type === 'webhook.endpoint_disabled')).toMatchObject({ data: { endpointId: endpoint.id } });
    await createProduct(world.app, merchant);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received.filter((r) => r.path === '/gone')).toHaveLength(1);
    expect((await world.http.post(`/api/v1/webhooks/${endpoint.id}/test`, undefined, merchant.token)).status).toBe(409);
  });

  test('When the last scheduled attempt fails too, then the endpoint is disabled with the reason, and its owner is to be told', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const endpoint = await register(merchant, ['product.created'], '/down');
    receiver.answer(503, 503);
    const disabled: unknown[] = [];
    const off = world.app.container.events.subscribe('webhook.endpoint_disabled', (e) => void disabled.push(e));
    await createProduct(world.app, merchant);
    // The first attempt fails and schedules the second; make that one the tenth (the hours between are not waited for).
    await eventually(
      () => em().execute(`select id from webhook_attempts where endpoint_id = ? and attempt = 2 and status = 'pending'`, [endpoint.id]),
      (rows) => rows.length === 1,
    );
    await em().execute(`update webhook_attempts set attempt = 10 where endpoint_id = ? and attempt = 2`, [endpoint.id]);
    await eventually(
      async () => disabled,
      (d) => d.length === 1,
      20_000,
    );
    off();
    expect(disabled[0]).toMatchObject({ endpointId: endpoint.id, reason: 'no successful delivery in 10 attempts' });
    expect((await deliveriesOf(merchant, endpoint.id))[0]).toMatchObject({ attempt: 10, status: 'failed', nextAttemptAt: null });
  }, 30_000);

  test('When a delivery is retried by hand or a ping is asked, then they go out with the webhook-id of their message; a redirect is not followed', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const endpoint = await register(merchant, ['product.created'], '/manual');
    const ping = await world.http.post(`/api/v1/webhooks/${endpoint.id}/test`, undefined, merchant.token);
    expect(ping.status).toBe(202);
    const [pinged] = await eventually(
      async () => receiver.of('ping', '/manual'),
      (r) => r.length === 1,
    );
    expect(pinged.headers['webhook-id']).toBe(ping.body.messageId);
    const retry = await world.http.post(`/api/v1/webhooks/${endpoint.id}/deliveries/${ping.body.deliveryId}/retry`, undefined, merchant.token);
    expect(retry.status).toBe(202);
    expect(retry.body.messageId).toBe(ping.body.messageId);
    const pings = await eventually(
      async () => receiver.of('ping', '/manual'),
      (r) => r.length === 2,
    );
    expect(pings[1].headers['webhook-id']).toBe(pings[0].headers['webhook-id']);

    receiver.answer({ status: 302, headers: { location: receiver.url('/elsewhere') } });
    const redirected = await world.http.post(`/api/v1/webhooks/${endpoint.id}/test`, undefined, merchant.token);
    const log = await eventually(
      () => deliveriesOf(merchant, endpoint.id),
      (items) => items.some((d: { id: string; status: string }) => d.id === redirected.body.deliveryId && d.status === 'failed'),
    );
    expect(log.find((d: { id: string }) => d.id === redirected.body.deliveryId)).toMatchObject({ responseStatus: 302, nextAttemptAt: null });
    expect(receiver.received.filter((r) => r.path === '/elsewhere')).toHaveLength(0);
  });

  describe('endpoints', () => {
    test('When endpoints are managed, then CRUD answers per the contract and another merchant sees none of them', async () => {
      const merchant = await createUser(world.app, 'merchant');
      const other = await createUser(world.app, 'merchant');
      const endpoint = await register(merchant, ['order.created', 'order.created', 'order.status_changed']);
      expect(endpoint).toMatchObject({ events: ['order.created', 'order.status_changed'], enabled: true, merchantId: merchant.id });
      const list = await world.http.get('/api/v1/webhooks', merchant.token);
      expect(list.body.items.map((e: { id: string }) => e.id)).toEqual([endpoint.id]);
      expect(list.body.items[0].secret).toBeUndefined();
      expect((await world.http.get('/api/v1/webhooks', other.token)).body.items).toEqual([]);
      expect((await world.http.get(`/api/v1/webhooks/${endpoint.id}`, other.token)).status).toBe(404);
      expect((await world.http.patch(`/api/v1/webhooks/${endpoint.id}`, { enabled: false }, other.token)).status).toBe(404);
      const patched = await world.http.patch(`/api/v1/webhooks/${endpoint.id}`, { events: ['products.imported'], enabled: false }, merchant.token);
      expect(patched.body).toMatchObject({ events: ['products.imported'], enabled: false, disabledReason: 'disabled by its owner' });
      expect((await world.http.patch(`/api/v1/webhooks/${endpoint.id}`, { enabled: true }, merchant.token)).body).toMatchObject({
        enabled: true,
        disabledReason: null,
      });
      expect((await world.http.delete(`/api/v1/webhooks/${endpoint.id}`, merchant.token)).status).toBe(204);
      expect((await world.http.get(`/api/v1/webhooks/${endpoint.id}`, merchant.token)).status).toBe(404);
    });

    test('When the body is hostile (unknown event, bad URL, credentials, extra fields, a customer), then 422/403 naming the field and nothing is stored', async () => {
      const customer = await createUser(world.app);
      const token = world.merchant.token;
      const cases: Array<[unknown, string]> = [
        [{ url: receiver.url(), events: ['product.exploded'] }, 'events.0'],
        [{ url: 'ftp://example.com/hook', events: ['order.created'] }, 'url'],
        [{ url: 'https://user:secret@example.com/hook', events: ['order.created'] }, 'url'],
        [{ url: receiver.url(), events: [] }, 'events'],
        [{ url: receiver.url(), events: ['order.created'], secret: 'mine' }, 'secret'],
        [{ url: `https://example.com/${'a'.repeat(2100)}`, events: ['order.created'] }, 'url'],
      ];
      for (const [body, path] of cases) {
        const res = await world.http.post('/api/v1/webhooks', body, token);
        expect([res.status, res.body.errors?.[0]?.path]).toEqual([422, path]);
      }
      expect((await world.http.post('/api/v1/webhooks', { url: receiver.url(), events: ['order.created'] }, customer.token)).status).toBe(403);
      expect(await em().execute(`select count(*)::int as n from webhook_endpoints where merchant_id = ?`, [world.merchant.id])).toEqual([{ n: 0 }]);
    });
  });
});
