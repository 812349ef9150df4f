import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ManualClock } from '../../domain/shared/clock.js';
import { EventBus } from '../../domain/shared/event-bus.js';
import { Outbox } from '../../domain/shared/outbox.js';
import { OutboxDispatcher } from '../../domain/shared/outbox-dispatcher.js';
import { UnitOfWork } from '../../domain/shared/unit-of-work.js';
import { createLogger } from '../../server/platform/logger.js';
import { startChildLarder } from '../support/child-larder.js';
import { eventually } from '../support/eventually.js';
import { httpClient } from '../support/http.js';
import { advance, placeOrder } from '../support/orders.js';
import { createProduct } from '../support/products.js';
import { emitAck } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';
import { createLocality } from '../support/localities.js';

const HOME = { line1: '1 place Bellecour', locality: 'Lyon', lat: 45.7578, lng: 4.832 };

describe('durable events (transactional outbox)', () => {
  const world = useWorld({ variables: { PROCESS_ROLE: 'server' } }); // serves, never dispatches

  const em = () => world.app.container.orm.em.fork() as EntityManager;
  const outboxRows = (name: string) =>
    em().execute<Array<{ id: string; dispatched_at: Date | null; attempts: number }>>(
      `select id, dispatched_at, attempts from outbox where name = ? order by seq`,
      [name],
    );

  test('When the process that committed a status change is killed before dispatch, then a worker started later delivers the event once', async () => {
    const merchant = await createUser(world.app, 'merchant');
    const customer = await createUser(world.app);
    const driver = await createUser(world.app, 'driver');
    const product = await createProduct(world.app, merchant, { kind: 'dish', stock: 5 });
    await createLocality(world.app, { slug: 'lyon', timeZone: 'Europe/Paris' });
    const driverSocket = await world.connect(driver);
    await emitAck(driverSocket, 'driver:location', { lat: 45.7625, lng: 4.8358 });
    await emitAck(driverSocket, 'driver:availability', { available: true, locality: 'Lyon' });
    const assignments: unknown[] = [];
    driverSocket.on('delivery:assigned', (p) => assignments.push(p));

    const placed = await placeOrder(world.app, customer, { items: [{ productId: product.id, quantity: 1 }], deliveryAddress: HOME });
    const orderId = placed.body.id as string;
    await advance(world.app, orderId, [
      [merchant, 'confirmed'],
      [merchant, 'preparing'],
    ]);

    // A real process commits the move to `ready` and dies at once (SIGKILL: no shutdown, no dispatch).
    const doomed = await startChildLarder(world.env, { PROCESS_ROLE: 'server' });
    const moved = await httpClient(doomed.url).post(`/api/v1/orders/${orderId}/status`, { status: 'ready' }, merchant.token);
    expect(moved.status).toBe(200);
    await doomed.kill('SIGKILL');

    const [ready] = await em().execute<Array<{ dispatched_at: Date | null }>>(
      `select dispatched_at from outbox where name = 'order.status_changed' and payload->>'to' = 'ready' and payload->'order'->>'id' = ?`,
      [orderId],
    );
    expect(ready).toEqual({ dispatched_at: null });
    expect((await world.http.get(`/api/v1/orders/${orderId}`, customer.token)).body.driverId).toBeNull();

    await world.start({ PROCESS_ROLE: 'worker' });
    await eventually(async () => (await outboxRows('order.status_changed')).every((r) => r.dispatched_at !== null), Boolean, 10_000);
    await eventually(
      async () => assignments.length,
      (n) => n >= 1,
    );
    await new Promise((r) => setTimeout(r, 300)); // room for a second, wrong delivery
    expect(assignments).toHaveLength(1);
    expect((await world.http.get(`/api/v1/orders/${orderId}`, customer.token)).body.driverId).toBe(driver.id);
  }, 60_000);

  describe('the dispatcher', () => {
    const log = createLogger('silent');
    let clock: ManualClock;
    let outbox: Outbox;
    let uow: UnitOfWork;
    const seen: string[] = [];

    beforeEach(async () => {
      await em().execute(`delete from outbox`);
      clock = new ManualClock(new Date());
      outbox = new Outbox();
      seen.length = 0;
      uow = new UnitOfWork(world.app.container.orm.em as EntityManager, new EventBus(log), outbox, clock);
    });

    const commitEvents = (n: number) =>
      uow.run(async (_tx, emit) => {
        for (let i = 0; i < n; i++) emit('user.registered', { userId: randomUUID(), role: 'customer' });
      });
    const dispatcher = () => new OutboxDispatcher(world.app.container.orm.em as EntityManager, outbox, clock, log, { batch: 25 });

    test('When a transaction rolls back, then none of its events are stored', async () => {
      outbox.consume('user.registered', 'test.record', async (e) => void seen.push(e.id));
      await expect(
        uow.run(async (_tx, emit) => {
          emit('user.registered', { userId: randomUUID(), role: 'customer' });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await outboxRows('user.registered')).toHaveLength(0);
    });

    test('When two dispatchers drain 200 events at once, then every event is handled exactly once', async () => {
      outbox.consume('user.registered', 'test.record', async (e) => {
        await new Promise((r) => setTimeout(r, Math.random() * 2));
        seen.push(e.id);
      });
      await commitEvents(200);
      await Promise.all([dispatcher().drain(), dispatcher().drain()]);
      expect(seen).toHaveLength(200);
      expect(new Set(seen).size).toBe(200);
      expect((await outboxRows('user.registered')).every((r) => r.dispatched_at !== null)).toBe(true);
    });

    test('When a consumer fails, then the event is retried after a backoff with the same id, and later events are not held up', async () => {
      let failures = 1;
      outbox.consume('user.registered', 'test.flaky', async (e) => {
        if (failures-- > 0) throw new Error('receiver down');
        seen.push(e.id);
      });
      await commitEvents(3);
      const d = dispatcher();
      await d.drain();
      expect(seen).toHaveLength(2); // the first event failed; the two after it went through
      const [first] = await outboxRows('user.registered');
      expect(first).toMatchObject({ dispatched_at: null, attempts: 1 });

      await d.drain();
      expect(seen).toHaveLength(2); // not due yet
      clock.advance(2_100);
      await d.drain();
      expect(seen).toHaveLength(3);
      expect(seen[2]).toBe(first.id);
    });

    test('When a claimed event is never completed (its worker died), then another worker takes it after the lease', async () => {
      outbox.consume('user.registered', 'test.record', async (e) => void seen.push(e.id));
      await commitEvents(1);
      await em().execute(`update outbox set available_at = ?, attempts = 1`, [new Date(clock.now().getTime() + 60_000)]);
      await dispatcher().drain();
      expect(seen).toHaveLength(0);
      clock.advance(60_001);
      await dispatcher().drain();
      expect(seen).toHaveLength(1);
    });
  });
});
