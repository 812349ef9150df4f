import type { EntityManager } from '@mikro-orm/postgresql';
import webpush from 'web-push';
import { eventually } from '../support/eventually.js';
import { PushService } from '../support/push-service.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const vapid = webpush.generateVAPIDKeys();

describe('web push to browsers', () => {
  const world = useWorld({
    variables: {
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@larder.test',
      PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true',
    },
  });
  const { http } = world;
  let service: PushService;

  beforeAll(async () => {
    service = await PushService.start();
  });
  afterAll(() => service.close());

  test('When a browser subscribed, then a notification reaches its push service encrypted for it and signed with our VAPID key', async () => {
    expect((await http.get('/api/v1/push/web-key')).body).toEqual({ publicKey: vapid.publicKey });
    const user = await createUser(world.app);
    const browser = service.browser(`/push/${user.id}`);
    expect((await http.post('/api/v1/me/devices', { platform: 'web', token: JSON.stringify(browser.subscription) }, user.token)).status).toBe(201);

    const [created] = await world.app.container.modules.notifications.center.notify([
      { userId: user.id, type: 'test.web', subject: 'one', title: 'Lunch is ready', body: 'Come and get it', data: { orderId: 'o-1' } },
    ]);
    const received = await eventually(
      async () => service.received.filter((r) => r.path === `/push/${user.id}`),
      (r) => r.length === 1,
    );
    const { headers, body } = received[0];
    expect(headers['content-encoding']).toBe('aes128gcm');
    expect(headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapid.publicKey}$`));
    expect(JSON.parse(browser.decrypt(body))).toEqual({
      title: 'Lunch is ready',
      body: 'Come and get it',
      data: { orderId: 'o-1', notificationId: created.id, type: 'test.web' },
    });
  });

  test('When the push service says a subscription is gone, then the device is forgotten and the delivery is not retried', async () => {
    const user = await createUser(world.app);
    const browser = service.browser(`/gone/${user.id}`);
    service.status = (path) => (path.startsWith('/gone/') ? 410 : 201);
    await http.post('/api/v1/me/devices', { platform: 'web', token: JSON.stringify(browser.subscription) }, user.token);
    await world.app.container.modules.notifications.center.notify([{ userId: user.id, type: 'test.web', subject: 'gone', title: 't', body: 'b', data: {} }]);
    const em = () => world.app.container.orm.em.fork() as EntityManager;
    await eventually(
      () => em().execute(`select id from devices where user_id = ?`, [user.id]),
      (rows) => rows.length === 0,
    );
    const [delivery] = await em().execute<Array<{ status: string; attempts: number }>>(
      `select status, attempts from notification_deliveries where user_id = ?`,
      [user.id],
    );
    expect(delivery).toEqual({ status: 'skipped', attempts: 1 });
  });
});
