import { createUser, type TestUser } from '../support/users.js';
import { createProduct, type TestProduct } from '../support/products.js';
import { emitAck, emitRaw, nextEvent } from '../support/sockets.js';
import { advance, placeOrder } from '../support/orders.js';
import { eventually } from '../support/eventually.js';
import { useWorld } from '../support/world.js';
import { createLocality } from '../support/localities.js';

// Lyon: the customer at Bellecour; one driver 600 m away, one about 3 km away.
const HOME = { line1: '1 place Bellecour', locality: 'Lyon', lat: 45.7578, lng: 4.832 };
const NEAR = { lat: 45.7625, lng: 4.8358 };
const FAR = { lat: 45.7797, lng: 4.8055 };

describe('delivery assignment and tracking', () => {
  const world = useWorld({ merchant: true });
  let product: TestProduct;
  const readyOrder = async (customer: TestUser, address = HOME) => {
    const placed = await placeOrder(world.app, customer, { items: [{ productId: product.id, quantity: 1 }], deliveryAddress: address });
    expect(placed.status).toBe(201);
    await advance(world.app, placed.body.id, [
      [world.merchant, 'confirmed'],
      [world.merchant, 'preparing'],
    ]);
    return placed.body.id as string;
  };
  const goOnline = async (driver: TestUser, at: { lat: number; lng: number }, locality = 'Lyon') => {
    const s = await world.connect(driver);
    expect(await emitAck(s, 'driver:location', at)).toMatchObject({ ok: true });
    expect(await emitAck(s, 'driver:availability', { available: true, locality })).toMatchObject({ ok: true });
    return s;
  };

  beforeAll(async () => {
    product = await createProduct(world.app, world.merchant, { kind: 'dish', stock: 100 });
    for (const slug of ['lyon', 'villeurbanne', 'caluire', 'oullins']) await createLocality(world.app, { slug, timeZone: 'Europe/Paris' });
  });

  test('When an order becomes ready, then the nearest available driver gets it and the customer sees the driver move', async () => {
    const customer = await createUser(world.app);
    const near = await createUser(world.app, 'driver');
    const far = await createUser(world.app, 'driver');
    const farSocket = await goOnline(far, FAR);
    const nearSocket = await goOnline(near, NEAR);
    const orderId = await readyOrder(customer);
    const customerSocket = await world.connect(customer);
    expect(await emitAck(customerSocket, 'order:watch', { orderId })).toMatchObject({ ok: true, data: { id: orderId, status: 'preparing' } });

    const assigned = nextEvent(nearSocket, 'delivery:assigned');
    let farAssigned = false;
    farSocket.on('delivery:assigned', () => (farAssigned = true));
    await advance(world.app, orderId, [[world.merchant, 'ready']]);
    const delivery = await assigned;
    expect(delivery.order).toMatchObject({ id: orderId, driverId: near.id, status: 'ready' });
    expect(delivery.distanceM).toBeGreaterThan(400);
    expect(delivery.distanceM).toBeLessThan(800);
    expect(delivery.etaSeconds).toBe(Math.round(delivery.distanceM / (25_000 / 3600)));
    expect(farAssigned).toBe(false);

    // Before pickup the position is not streamed; once out for delivery it is.
    await emitAck(nearSocket, 'driver:location', { lat: 45.761, lng: 4.834 });
    const location = nextEvent(customerSocket, 'order:driver-location');
    await advance(world.app, orderId, [[near, 'out_for_delivery']]);
    await emitAck(nearSocket, 'driver:location', { lat: 45.759, lng: 4.833 });
    expect(await location).toMatchObject({ orderId, lat: 45.759, lng: 4.833 });

    await advance(world.app, orderId, [[near, 'delivered']]);
    const outsider = await world.connect(await createUser(world.app));
    expect(await emitAck(outsider, 'order:watch', { orderId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  test('When no driver is available, then the order waits and is assigned once a driver comes online', async () => {
    const customer = await createUser(world.app);
    const orderId = await readyOrder(customer, { ...HOME, locality: 'Villeurbanne' });
    await advance(world.app, orderId, [[world.merchant, 'ready']]);
    expect((await world.http.get(`/api/v1/orders/${orderId}`, customer.token)).body.driverId).toBeNull();

    const driver = await createUser(world.app, 'driver');
    const s = await world.connect(driver);
    await emitAck(s, 'driver:location', NEAR);
    const assigned = nextEvent(s, 'delivery:assigned');
    await emitAck(s, 'driver:availability', { available: true, locality: 'villeurbanne' });
    expect((await assigned).order.id).toBe(orderId);
  });

  test('When the retry job runs, then waiting orders get drivers that came online without a trigger', async () => {
    const customer = await createUser(world.app);
    const orderId = await readyOrder(customer, { ...HOME, locality: 'Caluire' });
    await advance(world.app, orderId, [[world.merchant, 'ready']]);
    // A driver who became idle on another path (e.g. set straight in Redis by an instance that crashed
    // before assigning) is picked up by the minute job.
    const driver = await createUser(world.app, 'driver');
    const pool = world.app.container.redis;
    await pool.hset(`driver:${driver.id}`, { locality: 'caluire', available: '1', lat: String(NEAR.lat), lng: String(NEAR.lng) });
    await pool.geoadd('drivers:idle:caluire', NEAR.lng, NEAR.lat, driver.id);
    expect(await world.app.container.modules.orders.delivery.assignWaiting()).toBeGreaterThanOrEqual(1);
    expect((await world.http.get(`/api/v1/orders/${orderId}`, customer.token)).body.driverId).toBe(driver.id);
  });

  test('When two orders become ready at once with one driver, then the driver gets exactly one', async () => {
    const driver = await createUser(world.app, 'driver');
    await goOnline(driver, NEAR, 'Oullins');
    const a = await readyOrder(await createUser(world.app), { ...HOME, locality: 'Oullins' });
    const b = await readyOrder(await createUser(world.app), { ...HOME, locality: 'Oullins' });
    await Promise.all([advance(world.app, a, [[world.merchant, 'ready']]), advance(world.app, b, [[world.merchant, 'ready']])]);
    // Assignment follows the status change after the response (an outbox consumer): wait for it to settle.
    const drivers = () =>
      world.app.container.orm.em.fork().execute<Array<{ driver_id: string | null }>>(`select driver_id from orders where id in (?)`, [[a, b]]);
    await eventually(drivers, (rows) => rows.some((r) => r.driver_id !== null));
    await world.app.container.modules.outbox.drain();
    const rows = await drivers();
    expect(rows.filter((r) => r.driver_id === driver.id)).toHaveLength(1);
    expect(rows.filter((r) => r.driver_id === null)).toHaveLength(1);
  });

  test('When a non-driver sends driver events or bad coordinates, then they are refused', async () => {
    const s = await world.connect(await createUser(world.app));
    expect(await emitAck(s, 'driver:location', NEAR)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const d = await world.connect(await createUser(world.app, 'driver'));
    expect(await emitAck(d, 'driver:location', { lat: 91, lng: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await emitRaw(d, 'driver:location', { lat: '45', lng: 4 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await emitAck(d, 'driver:availability', { available: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await emitAck(d, 'driver:availability', { available: true, locality: 'atlantis' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', errors: [{ path: 'locality', message: 'No such locality' }] },
    });
    expect(d.connected).toBe(true);
  });
});
