import { Webhook } from 'standardwebhooks';
import { ManualClock } from '../../domain/shared/clock.js';
import type { HostLookup } from '../../domain/webhooks/index.js';
import { eventually } from '../support/eventually.js';
import { createUser, type TestUser } from '../support/users.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { useWorld } from '../support/world.js';

/** A resolver for names the tests control (the system resolver answers everything else). */
const names: Record<string, string[]> = { 'internal.example.test': ['10.0.0.1'], 'mixed.example.test': ['93.184.216.34', '127.0.0.1'] };
const lookup: HostLookup = async (host) => {
  const addresses = names[host];
  if (!addresses) throw Object.assign(new Error(`no such host ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('webhook targets without WEBHOOK_ALLOW_PRIVATE (SSRF)', () => {
  const world = useWorld({ merchant: true, container: { webhookLookup: lookup } });

  test('When an endpoint names loopback, link-local (metadata), IPv6 or IPv4-mapped loopback, or plain http, then 422 naming url and nothing is stored', async () => {
    for (const url of [
      'http://127.0.0.1/hook',
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::ffff:127.0.0.1]/hook',
      'https://10.0.0.1/hook',
      'https://100.64.0.1/hook',
      'https://[fd00:ec2::254]/hook',
      'https://localhost/hook',
      'http://example.com/hook',
    ]) {
      const res = await world.http.post('/api/v1/webhooks', { url, events: ['order.created'] }, world.merchant.token);
      expect([url, res.status, res.body.errors?.[0]?.path]).toEqual([url, 422, 'url']);
    }
    expect((await world.http.get('/api/v1/webhooks', world.merchant.token)).body.items).toEqual([]);
  });

  test('When a host name resolves to a private address (or one of its addresses is), then the delivery is refused before any connection', async () => {
    for (const host of ['internal.example.test', 'mixed.example.test']) {
      const created = await world.http.post('/api/v1/webhooks', { url: `https://${host}/hook`, events: ['order.created'] }, world.merchant.token);
      expect(created.status).toBe(201);
      const ping = await world.http.post(`/api/v1/webhooks/${created.body.id}/test`, undefined, world.merchant.token);
      const [attempt] = await eventually(
        async () => (await world.http.get(`/api/v1/webhooks/${created.body.id}/deliveries`, world.merchant.token)).body.items,
        (items) => items[0]?.status === 'failed',
      );
      expect(attempt).toMatchObject({ id: ping.body.deliveryId, responseStatus: null, durationMs: 0 });
      expect(attempt.error).toMatch(new RegExp(`^refused: ${host} resolves to (10\\.0\\.0\\.1 \\(private\\)|127\\.0\\.0\\.1 \\(loopback\\))`));
    }
  });
});

describe('secret rotation', () => {
  const clock = new ManualClock(new Date());
  const world = useWorld({ variables: { WEBHOOK_ALLOW_PRIVATE: 'true' }, container: { clock } });
  let receiver: WebhookReceiver;
  let merchant: TestUser;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    merchant = await createUser(world.app, 'merchant');
  });
  afterAll(() => receiver.close());

  const pingAndReceive = async (endpointId: string, nth: number) => {
    // A token signed now by the server's clock (the one from before a clock jump has expired).
    const { token } = await world.app.container.modules.identity.tokens.sign(merchant.id, 'merchant');
    expect((await world.http.post(`/api/v1/webhooks/${endpointId}/test`, undefined, token)).status).toBe(202);
    const got = await eventually(
      async () => receiver.of('ping'),
      (r) => r.length === nth,
    );
    return got[nth - 1];
  };

  test('When the secret is rotated, then for 24 h deliveries carry a signature with each secret, then only the new one', async () => {
    const created = await world.http.post('/api/v1/webhooks', { url: receiver.url(), events: ['order.created'] }, merchant.token);
    const oldSecret = created.body.secret as string;
    const rotated = await world.http.post(`/api/v1/webhooks/${created.body.id}/rotate-secret`, undefined, merchant.token);
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).not.toBe(oldSecret);

    const during = await pingAndReceive(created.body.id, 1);
    const signatures = String(during.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(2);
    const id = String(during.headers['webhook-id']);
    const at = new Date(Number(during.headers['webhook-timestamp']) * 1000);
    // Each entry is what the independent implementation computes with one of the secrets.
    expect(signatures).toEqual([new Webhook(newSecret).sign(id, at, during.body), new Webhook(oldSecret).sign(id, at, during.body)]);

    clock.advance(24 * 3600_000 + 1_000);
    const after = await pingAndReceive(created.body.id, 2);
    const afterAt = new Date(Number(after.headers['webhook-timestamp']) * 1000);
    expect(String(after.headers['webhook-signature'])).toBe(new Webhook(newSecret).sign(String(after.headers['webhook-id']), afterAt, after.body));
  });
});
