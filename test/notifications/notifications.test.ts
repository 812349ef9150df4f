import type { EntityManager } from '@mikro-orm/postgresql';
import type { NotificationDraft } from '../../domain/notifications/index.js';
import { ManualClock } from '../../domain/shared/clock.js';
import { readJsonLines } from '../identity/support.js';
import { eventually } from '../support/eventually.js';
import { advance, placeOrder } from '../support/orders.js';
import { createProduct, type TestProduct } from '../support/products.js';
import { nextEvent } from '../support/sockets.js';
import type { TestApp } from '../support/test-env.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const clock = new ManualClock(new Date('2027-06-10T10:00:00Z'));

describe('notifications', () => {
  const world = useWorld({ merchant: true, container: { clock } });
  const { http } = world;
  const em = () => world.app.container.orm.em.fork() as EntityManager;
  let server: TestApp;
  let product: TestProduct;
  const fresh = async (u: TestUser): Promise<TestUser> => ({ ...u, token: (await world.app.container.modules.identity.tokens.sign(u.id, u.role)).token });
  const notificationsOf = (userId: string) =>
    em().execute<Array<{ id: string; type: string; subject: string }>>(
      `select id, type, subject from notifications where user_id = ? order by created_at, id`,
      [userId],
    );
  const confirmedOrder = async (customer: TestUser) => {
    const placed = await placeOrder(world.app, customer, { items: [{ productId: product.id, quantity: 1 }] });
    expect(placed.status).toBe(201);
    await advance(world.app, placed.body.id, [[await fresh(world.merchant), 'confirmed']]);
    return placed.body.id as string;
  };
  const drafts = (userId: string, n: number, tag: string): NotificationDraft[] =>
    Array.from({ length: n }, (_, i) => ({ userId, type: 'test.note', subject: `${tag}-${i}`, title: `Note ${i}`, body: 'Hello', data: { i } }));

  beforeAll(async () => {
    server = await world.start({ PROCESS_ROLE: 'server' }, { clock });
    product = await createProduct(world.app, world.merchant, { stock: 1000 });
  });
  beforeEach(() => clock.set(new Date('2027-06-10T10:00:00Z')));

  describe('live and once', () => {
    test("When the merchant confirms an order, then the customer's sockets on both instances get the notification and it is listed unread", async () => {
      const customer = await createUser(world.app);
      const here = await world.connect(customer);
      const there = await world.connect(customer, server);
      const pushes = [nextEvent(here, 'notification', 10_000), nextEvent(there, 'notification', 10_000)];
      const orderId = await confirmedOrder(customer);
      const [a, b] = await Promise.all(pushes);
      expect(a).toEqual({
        id: expect.any(String),
        type: 'order.status_changed',
        title: 'Order confirmed',
        body: expect.stringContaining('confirmed'),
        data: { orderId, status: 'confirmed' },
        createdAt: '2027-06-10T10:00:00.000Z',
      });
      expect(b).toEqual(a);
      const listed = await http.get('/api/v1/notifications', customer.token);
      expect(listed.body).toMatchObject({ unreadCount: 1, items: [{ id: a.id, readAt: null }], nextCursor: null });
    });

    test('When the status event is delivered again, then no second notification is created or pushed', async () => {
      const customer = await createUser(world.app);
      const socket = await world.connect(customer, server);
      const pushed: unknown[] = [];
      socket.on('notification', (n) => pushed.push(n));
      const orderId = await confirmedOrder(customer);
      await eventually(
        () => notificationsOf(customer.id),
        (rows) => rows.length === 1,
      );
      // The outbox event is handed to its consumers again, as after a crash before the completion mark.
      await em().execute(`update outbox set dispatched_at = null, available_at = ? where name = 'order.status_changed' and payload->'order'->>'id' = ?`, [
        new Date('2027-06-10T09:00:00Z'),
        orderId,
      ]);
      await world.app.container.modules.outbox.drain();
      await eventually(
        async () => pushed.length,
        (n) => n >= 1,
      );
      await new Promise((r) => setTimeout(r, 300)); // room for a wrong second push
      expect(await notificationsOf(customer.id)).toEqual([expect.objectContaining({ type: 'order.status_changed', subject: `${orderId}:confirmed` })]);
      expect(pushed).toHaveLength(1);
    });

    test('When the customer cancels their own order, then they are not notified of their own move', async () => {
      const customer = await createUser(world.app);
      const orderId = await confirmedOrder(customer);
      expect((await http.post(`/api/v1/orders/${orderId}/cancel`, {}, customer.token)).status).toBe(200);
      await world.app.container.modules.outbox.drain();
      expect((await notificationsOf(customer.id)).map((n) => n.subject)).toEqual([`${orderId}:confirmed`]);
    });
  });

  describe('reading', () => {
    test('When some are read, then unread-first lists them after the unread ones, the count follows, and a cursor walks every one once', async () => {
      const user = await createUser(world.app);
      const { center } = world.app.container.modules.notifications;
      for (let i = 0; i < 5; i++) {
        clock.advance(1000);
        await center.notify(drafts(user.id, 1, `n${i}`));
      }
      const all = (await http.get('/api/v1/notifications', user.token)).body;
      expect(all.unreadCount).toBe(5);
      expect(all.items.map((n: { title: string }) => n.title)).toEqual(['Note 0', 'Note 0', 'Note 0', 'Note 0', 'Note 0']);
      const [newest, , middle] = all.items;
      expect((await http.post(`/api/v1/notifications/${newest.id}/read`, {}, user.token)).body).toMatchObject({ id: newest.id, readAt: expect.any(String) });
      await http.post(`/api/v1/notifications/${middle.id}/read`, {}, user.token);
      const again = await http.post(`/api/v1/notifications/${newest.id}/read`, {}, user.token);
      expect(again.body.readAt).toBe((await http.post(`/api/v1/notifications/${newest.id}/read`, {}, user.token)).body.readAt);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { unreadCount: number; items: Array<{ id: string }>; nextCursor: string | null } } = await http.get(
          `/api/v1/notifications?sort=unread&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          user.token,
        );
        expect(page.body.unreadCount).toBe(3);
        seen.push(...page.body.items.map((n) => n.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      const ids = all.items.map((n: { id: string }) => n.id);
      expect(seen).toEqual([ids[1], ids[3], ids[4], ids[0], ids[2]]);

      expect((await http.post('/api/v1/notifications/read-all', {}, user.token)).body).toEqual({ read: 3, unreadCount: 0 });
      expect((await http.get('/api/v1/notifications', user.token)).body.unreadCount).toBe(0);
    });

    test("When a user reads another's notification or sends hostile input, then 404 / 422 and nothing changes", async () => {
      const owner = await createUser(world.app);
      const other = await createUser(world.app);
      const [created] = await world.app.container.modules.notifications.center.notify(drafts(owner.id, 1, 'private'));
      expect((await http.post(`/api/v1/notifications/${created.id}/read`, {}, other.token)).status).toBe(404);
      expect((await http.post('/api/v1/notifications/not-a-uuid/read', {}, owner.token)).status).toBe(422);
      expect((await http.get('/api/v1/notifications?cursor=bm9wZQ', owner.token)).status).toBe(422);
      expect((await http.get('/api/v1/notifications?sort=oldest', owner.token)).status).toBe(422);
      expect((await http.get('/api/v1/notifications?limit=1000', owner.token)).status).toBe(422);
      expect((await http.get('/api/v1/notifications')).status).toBe(401);
      expect((await http.get('/api/v1/notifications', owner.token)).body.unreadCount).toBe(1);
    });

    test('When the same drafts are notified twice at once, then each (user, type, subject) exists once', async () => {
      const user = await createUser(world.app);
      const { center } = world.app.container.modules.notifications;
      const batch = drafts(user.id, 50, 'dup');
      const [first, second] = await Promise.all([center.notify(batch), server.container.modules.notifications.center.notify(batch)]);
      expect(first.length + second.length).toBe(50);
      expect(await notificationsOf(user.id)).toHaveLength(50);
    });
  });

  describe('channels', () => {
    const mails = async (to: string) => (await readJsonLines<{ to: string; subject: string }>(world.env.mailOutboxFile)).filter((m) => m.to === to);

    test('When preferences are read before being set, then the defaults; invalid ones are refused naming the field', async () => {
      const user = await createUser(world.app);
      expect((await http.get('/api/v1/me/notification-preferences', user.token)).body).toEqual({ email: false, sms: false, push: true, quietHours: null });
      const put = (body: unknown) => http.put('/api/v1/me/notification-preferences', body, user.token);
      for (const [body, path] of [
        [{ email: true, sms: false, push: true, quietHours: { from: '22:00', to: '22:00' } }, 'quietHours.to'],
        [{ email: true, sms: false, push: true, quietHours: { from: '22:00', to: '07:00', timeZone: 'Moon/Base' } }, 'quietHours.timeZone'],
        [{ email: 'yes', sms: false, push: true }, 'email'],
        [{ email: true, sms: false, push: true, inApp: false }, 'inApp'],
      ] as const) {
        const res = await put(body);
        expect({ status: res.status, path: res.body.errors?.[0]?.path }).toEqual({ status: 422, path });
      }
      expect((await http.get('/api/v1/me/notification-preferences', user.token)).body.email).toBe(false);
    });

    test('When a customer opted into e-mail and SMS, then the notification also goes out by mail and text; others get in-app only', async () => {
      const optedIn = await createUser(world.app);
      const inAppOnly = await createUser(world.app);
      await em().execute(`update users set phone = '+4915112345678' where id = ?`, [optedIn.id]);
      const put = await http.put('/api/v1/me/notification-preferences', { email: true, sms: true, push: false }, optedIn.token);
      expect(put.body).toEqual({ email: true, sms: true, push: false, quietHours: null });
      await confirmedOrder(optedIn);
      await confirmedOrder(inAppOnly);
      await eventually(
        () => mails(optedIn.email),
        (m) => m.length === 1,
        10_000,
      );
      expect((await mails(optedIn.email))[0].subject).toBe('Order confirmed');
      const texts = await eventually(
        () => readJsonLines<{ to: string; text: string }>(world.env.smsOutboxFile),
        (t) => t.some((m) => m.to === '+4915112345678'),
      );
      expect(texts.find((m) => m.to === '+4915112345678')!.text).toContain('Order confirmed');
      await eventually(
        () => notificationsOf(inAppOnly.id),
        (rows) => rows.length === 1,
      );
      expect(await mails(inAppOnly.email)).toEqual([]);
    });

    test('When a notification comes during quiet hours, then in-app is immediate and the e-mail waits until they end', async () => {
      clock.set(new Date('2027-06-10T21:30:00Z')); // 23:30 in Berlin
      const sleeper = await fresh(await createUser(world.app));
      await http.put(
        '/api/v1/me/notification-preferences',
        { email: true, sms: false, push: true, quietHours: { from: '22:00', to: '07:00', timeZone: 'Europe/Berlin' } },
        sleeper.token,
      );
      const socket = await world.connect(sleeper);
      const pushed = nextEvent(socket, 'notification', 10_000);
      await confirmedOrder(sleeper);
      expect((await pushed).title).toBe('Order confirmed');
      const [delivery] = await em().execute<Array<{ due_at: Date; status: string }>>(`select due_at, status from notification_deliveries where user_id = ?`, [
        sleeper.id,
      ]);
      expect({ dueAt: new Date(delivery.due_at).toISOString(), status: delivery.status }).toEqual({ dueAt: '2027-06-11T05:00:00.000Z', status: 'pending' });
      await world.app.container.modules.notifications.deliveries.drain();
      expect(await mails(sleeper.email)).toEqual([]);

      clock.set(new Date('2027-06-11T05:00:00Z')); // 07:00 in Berlin
      await world.app.container.modules.notifications.deliveries.drain();
      await eventually(
        () => mails(sleeper.email),
        (m) => m.length === 1,
        10_000,
      );
    });
  });

  describe('devices and push', () => {
    const pushes = () => readJsonLines<{ platform: string; token: string; title: string; data: Record<string, unknown> }>(world.env.pushOutboxFile);

    test('When a phone is registered, then notifications are pushed to it; a token registered again moves to the new user', async () => {
      const first = await createUser(world.app);
      const second = await createUser(world.app);
      const token = `fcm-token-${first.id}`;
      const res = await http.post('/api/v1/me/devices', { platform: 'android', token }, first.token);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), platform: 'android', createdAt: expect.any(String) });
      await confirmedOrder(first);
      const sent = await eventually(pushes, (lines) => lines.some((l) => l.token === token));
      expect(sent.find((l) => l.token === token)).toMatchObject({ platform: 'android', title: 'Order confirmed', data: { type: 'order.status_changed' } });

      const moved = await http.post('/api/v1/me/devices', { platform: 'android', token }, second.token);
      expect(moved.body.id).toBe(res.body.id);
      expect((await http.delete(`/api/v1/me/devices/${res.body.id}`, first.token)).status).toBe(404);
      expect((await http.delete(`/api/v1/me/devices/${res.body.id}`, second.token)).status).toBe(204);
      expect((await http.delete(`/api/v1/me/devices/${res.body.id}`, second.token)).status).toBe(404);
    });

    test('When a device is registered with hostile input, then 422 naming the field', async () => {
      const user = await createUser(world.app);
      const post = (body: unknown) => http.post('/api/v1/me/devices', body, user.token);
      const web = (endpoint: string) => JSON.stringify({ endpoint, keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) } });
      for (const [body, path] of [
        [{ platform: 'blackberry', token: 'x' }, 'platform'],
        [{ platform: 'android', token: '' }, 'token'],
        [{ platform: 'android', token: 'x'.repeat(5000) }, 'token'],
        [{ platform: 'web', token: 'not json' }, 'token'],
        [{ platform: 'web', token: web('http://push.example.org/x') }, 'token'],
        [{ platform: 'web', token: web('https://127.0.0.1/x') }, 'token'],
        [{ platform: 'web', token: web('https://[::1]/x') }, 'token'],
        [{ platform: 'web', token: web('https://10.1.2.3/x') }, 'token'],
      ] as const) {
        const res = await post(body);
        expect({ status: res.status, path: res.body.errors?.[0]?.path }).toEqual({ status: 422, path });
      }
      expect((await post({ platform: 'web', token: web('https://updates.push.services.mozilla.com/wpush/v2/abc') })).status).toBe(201);
    });
  });
});
