import { RequestContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ManualClock } from '../../domain/shared/clock.js';
import { readJsonLines } from '../identity/support.js';
import { eventually } from '../support/eventually.js';
import { adminOf, createLocality } from '../support/localities.js';
import { createDish, createMealSet, createRestaurant, type TestDish } from '../support/mealsets.js';
import { placeOrder } from '../support/orders.js';
import type { TestApp } from '../support/test-env.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const clock = new ManualClock(new Date('2027-06-10T06:00:00Z'));

describe('meal-set reminders', () => {
  const world = useWorld({ merchant: true, container: { clock }, variables: { REMINDER_BATCH_SIZE: '7' } });
  const em = () => world.app.container.orm.em.fork() as EntityManager;
  /** A run as the job runs it (in its own unit of work), without Agenda: the test chooses the moment. */
  const run = (locality: string, app: TestApp = world.app) =>
    RequestContext.create(app.container.orm.em, () => app.container.modules.mealsets.reminders.run(locality));
  const fresh = async (u: TestUser): Promise<TestUser> => ({ ...u, token: (await world.app.container.modules.identity.tokens.sign(u.id, u.role)).token });
  const reminded = (subject: string) =>
    em()
      .execute<Array<{ user_id: string }>>(`select user_id from notifications where type = 'mealset.reminder' and subject = ? order by user_id`, [subject])
      .then((rows) => rows.map((r) => r.user_id));
  const settled = async (subject: string, expected: string[]) => {
    await eventually(
      () => reminded(subject),
      (ids) => ids.length >= expected.length,
      10_000,
    );
    await world.app.container.modules.outbox.drain(); // nothing left to deliver that could add one
    expect(await reminded(subject)).toEqual([...expected].sort());
  };
  const dishes = new Map<string, TestDish>();
  const customers = (locality: string, n: number) => Promise.all(Array.from({ length: n }, () => createUser(world.app, 'customer', { locality })));
  const order = async (customer: TestUser, locality: string, setId: string) => {
    const res = await placeOrder(world.app, await fresh(customer), { mealSetId: setId, items: [{ productId: dishes.get(locality)!.id, quantity: 1 }] });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  beforeAll(async () => {
    for (const [slug, timeZone] of [
      ['berlin', 'Europe/Berlin'],
      ['la', 'America/Los_Angeles'],
      ['munich', 'Europe/Berlin'],
    ] as const) {
      await createLocality(world.app, { slug, timeZone, reminderAt: '10:00', orderCutoff: '11:30' });
      const restaurant = await createRestaurant(world.app, world.merchant, slug);
      dishes.set(slug, await createDish(world.app, world.merchant, restaurant.id, { stock: 1000 }));
    }
  });

  test('When the reminder runs in two time zones, then each locality reminds, at its own 10:00, exactly its customers without a live order', async () => {
    clock.set(new Date('2027-06-10T06:00:00Z')); // Berlin 08:00; Los Angeles 23:00 the day before
    const berlinSet = await createMealSet(world.app, 'berlin', '2027-06-10', [dishes.get('berlin')!.id]);
    const laSet = await createMealSet(world.app, 'la', '2027-06-10', [dishes.get('la')!.id]);
    const [ordered, cancelled, waiting, optedIn] = await customers('berlin', 4);
    await createUser(world.app, 'merchant', { locality: 'berlin' });
    await createUser(world.app, 'customer'); // no locality
    const [laOrdered, laWaiting] = await customers('la', 2);
    await order(ordered, 'berlin', berlinSet.id);
    const toCancel = await order(cancelled, 'berlin', berlinSet.id);
    expect((await world.http.post(`/api/v1/orders/${toCancel}/cancel`, {}, (await fresh(cancelled)).token)).status).toBe(200);
    await world.http.put('/api/v1/me/notification-preferences', { email: true, sms: false, push: true }, (await fresh(optedIn)).token);

    expect(await run('berlin')).toMatchObject({ status: 'skipped', reason: 'not-due', date: '2027-06-10' });
    clock.set(new Date('2027-06-10T08:00:00Z')); // Berlin 10:00; Los Angeles 01:00
    expect(await run('berlin')).toEqual({
      status: 'completed',
      locality: 'berlin',
      date: '2027-06-10',
      batches: 1,
      scanned: 4,
      alreadyOrdered: 1,
      reminded: 3,
    });
    expect(await run('la')).toMatchObject({ status: 'skipped', reason: 'not-due' });
    await settled('berlin/2027-06-10', [cancelled.id, waiting.id, optedIn.id]);

    const mails = await eventually(
      () => readJsonLines<{ to: string; subject: string }>(world.env.mailOutboxFile),
      (lines) => lines.some((m) => m.to === optedIn.email),
      10_000,
    );
    expect(mails.filter((m) => m.subject === "Today's lunch is waiting").map((m) => m.to)).toEqual([optedIn.email]);

    clock.set(new Date('2027-06-10T16:00:00Z')); // Los Angeles 09:00
    await order(laOrdered, 'la', laSet.id);
    clock.set(new Date('2027-06-10T17:00:00Z')); // Los Angeles 10:00; Berlin 19:00, past its cut-off
    expect(await run('la')).toMatchObject({ status: 'completed', date: '2027-06-10', scanned: 2, alreadyOrdered: 1, reminded: 1 });
    expect(await run('berlin')).toMatchObject({ status: 'skipped', reason: 'ordering-closed' });
    await settled('la/2027-06-10', [laWaiting.id]);
    expect(await reminded('berlin/2027-06-10')).toHaveLength(3);
  });

  test('When two workers run the same reminder at once and an admin sends it again, then each customer is notified and pushed once', async () => {
    clock.set(new Date('2027-06-11T06:00:00Z'));
    const set = await createMealSet(world.app, 'munich', '2027-06-11', [dishes.get('munich')!.id]);
    const all = await customers('munich', 30);
    for (const c of all.slice(0, 9)) await order(c, 'munich', set.id);
    clock.set(new Date('2027-06-11T08:05:00Z')); // 10:05 in Munich
    const watched = await Promise.all(all.slice(9, 12).map(async (c) => world.connect(await fresh(c))));
    const pushes = watched.map(() => 0);
    for (const [i, socket] of watched.entries()) {
      socket.on('notification', () => {
        pushes[i]++;
      });
    }

    const other = await world.start({ REMINDER_BATCH_SIZE: '7' }, { clock });
    const [a, b] = await Promise.all([run('munich'), run('munich', other)]);
    expect([a, b]).toEqual([
      expect.objectContaining({ status: 'completed', batches: 5, reminded: 21 }),
      expect.objectContaining({ status: 'completed', reminded: 21 }),
    ]);
    const sent = await world.http.post('/api/v1/localities/munich/reminders', {}, (await adminOf(world.app)).token);
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ jobId: expect.any(String) });
    await eventually(
      async () => (await metric(world.app, 'larder_reminder_runs_total')) + (await metric(other, 'larder_reminder_runs_total')),
      (n) => n >= 1,
      15_000,
    );
    await other.container.modules.outbox.drain();
    await settled(
      'munich/2027-06-11',
      all.slice(9).map((c) => c.id),
    );
    await new Promise((r) => setTimeout(r, 300)); // room for a wrong second push
    expect(pushes).toEqual([1, 1, 1]);
    await world.stop(other);
  });

  test('When Berlin switches to summer time, then its 10:00 reminder follows the local clock, as does its Agenda schedule', async () => {
    clock.set(new Date('2027-03-27T06:00:00Z')); // Saturday, 07:00 CET (UTC+1)
    const [waiting] = await customers('berlin', 1);
    await createMealSet(world.app, 'berlin', '2027-03-27', [dishes.get('berlin')!.id]);
    await createMealSet(world.app, 'berlin', '2027-03-28', [dishes.get('berlin')!.id]);
    clock.set(new Date('2027-03-27T08:59:00Z')); // 09:59 CET
    expect(await run('berlin')).toMatchObject({ status: 'skipped', reason: 'not-due' });
    clock.set(new Date('2027-03-27T09:00:00Z')); // 10:00 CET
    expect(await run('berlin')).toMatchObject({ status: 'completed', date: '2027-03-27' });
    clock.set(new Date('2027-03-28T07:59:00Z')); // Sunday, 09:59 CEST (UTC+2 since 01:00 UTC)
    expect(await run('berlin')).toMatchObject({ status: 'skipped', reason: 'not-due', date: '2027-03-28' });
    clock.set(new Date('2027-03-28T08:00:00Z')); // 10:00 CEST
    expect(await run('berlin')).toMatchObject({ status: 'completed', date: '2027-03-28' });
    await eventually(
      () => reminded('berlin/2027-03-28'),
      (ids) => ids.includes(waiting.id),
      10_000,
    );

    const [schedule] = await em().execute<Array<{ repeat_interval: string; repeat_timezone: string }>>(
      `select repeat_interval, repeat_timezone from agenda_jobs where name = 'mealsets.send-reminders' and data->>'locality' = 'berlin'`,
    );
    expect(schedule).toEqual({ repeat_interval: '0 10 * * *', repeat_timezone: 'Europe/Berlin' });
    const nextAfter = (lastRunAt: string) => {
      const job = world.app.container.scheduler.agenda.create('mealsets.send-reminders', { locality: 'berlin' });
      job.attrs.lastRunAt = new Date(lastRunAt);
      job.repeatEvery(schedule.repeat_interval, { timezone: schedule.repeat_timezone });
      return job.attrs.nextRunAt?.toISOString();
    };
    expect(nextAfter('2027-03-27T09:00:00Z')).toBe('2027-03-28T08:00:00.000Z'); // spring forward
    expect(nextAfter('2027-10-30T08:00:00Z')).toBe('2027-10-31T09:00:00.000Z'); // fall back
  });
});

/** A counter's total over its labels in one instance's registry. */
async function metric(app: TestApp, name: string): Promise<number> {
  const found = await app.container.metrics.registry.getSingleMetric(name)?.get();
  return (found?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}
