import type { EntityManager } from '@mikro-orm/postgresql';
import { localTime } from '../../domain/shared/time-zones.js';
import { eventually } from '../support/eventually.js';
import { adminOf, createLocality } from '../support/localities.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

interface ScheduleRow {
  repeat_interval: string;
  repeat_timezone: string;
  next_run_at: Date;
  data: { locality: string };
}

describe('localities', () => {
  const world = useWorld();
  const { http } = world;
  const em = () => world.app.container.orm.em.fork() as EntityManager;
  const schedules = (slug: string) =>
    em().execute<ScheduleRow[]>(
      `select repeat_interval, repeat_timezone, next_run_at, data from agenda_jobs where name = 'mealsets.send-reminders' and data->>'locality' = ?`,
      [slug],
    );

  test('When an admin creates a locality, then 201 with it, it is listed and readable by anyone', async () => {
    const admin = await adminOf(world.app);
    const body = { slug: 'Porto-Centro', name: 'Porto (centro)', timeZone: 'Europe/Lisbon', orderCutoff: '11:30', reminderAt: '10:15' };
    const res = await http.post('/api/v1/localities', body, admin.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, slug: 'porto-centro', createdAt: expect.any(String) });
    expect((await http.get('/api/v1/localities/porto-centro')).body.name).toBe('Porto (centro)');
    const listed = await http.get('/api/v1/localities?limit=100');
    expect(listed.body.items.map((l: { slug: string }) => l.slug)).toContain('porto-centro');
  });

  test('When a locality is created or its reminder time changes, then its daily reminder is scheduled at that local time in its zone', async () => {
    await createLocality(world.app, { slug: 'hamburg', timeZone: 'Europe/Berlin', reminderAt: '10:30', orderCutoff: '11:45' });
    const [created] = await eventually(
      () => schedules('hamburg'),
      (rows) => rows.length === 1,
    );
    expect(created).toMatchObject({ repeat_interval: '30 10 * * *', repeat_timezone: 'Europe/Berlin' });
    expect(localTime(new Date(created.next_run_at), 'Europe/Berlin').minutes).toBe(10 * 60 + 30);
    expect(new Date(created.next_run_at).getTime()).toBeGreaterThan(Date.now());

    const patched = await http.patch('/api/v1/localities/hamburg', { reminderAt: '09:05' }, (await adminOf(world.app)).token);
    expect(patched.status).toBe(200);
    const [moved] = await eventually(
      () => schedules('hamburg'),
      (rows) => rows.length === 1 && rows[0].repeat_interval === '5 9 * * *',
    );
    expect(localTime(new Date(moved.next_run_at), 'Europe/Berlin').minutes).toBe(9 * 60 + 5);
  });

  test('When two workers put the same schedule in place at once, then one schedule remains', async () => {
    const locality = await createLocality(world.app, { slug: 'bremen', timeZone: 'Europe/Berlin' });
    await eventually(
      () => schedules('bremen'),
      (rows) => rows.length === 1,
    );
    const other = await world.start({ PROCESS_ROLE: 'worker' });
    const moved = { ...locality, reminderAt: '08:00' };
    await Promise.all([world.app.container.modules.mealsets.reminderSchedule.sync(moved), other.container.modules.mealsets.reminderSchedule.sync(moved)]);
    expect(await schedules('bremen')).toEqual([expect.objectContaining({ repeat_interval: '0 8 * * *' })]);
    await world.stop(other);
  });

  test('When the same slug is created twice, then 409 CONFLICT naming slug', async () => {
    await createLocality(world.app, { slug: 'twice' });
    const res = await http.post(
      '/api/v1/localities',
      { slug: 'twice', name: 'x', timeZone: 'UTC', orderCutoff: '11:00', reminderAt: '10:00' },
      (await adminOf(world.app)).token,
    );
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'CONFLICT', errors: [{ path: 'slug' }] });
  });

  test.each([
    ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
    ['orderCutoff', { orderCutoff: '25:00' }],
    ['reminderAt', { reminderAt: '9:00' }],
    ['reminderAt', { reminderAt: '12:00', orderCutoff: '11:00' }],
    ['slug', { slug: "x'); drop table localities; --" }],
    ['role', { role: 'admin' }],
  ])('When %s is invalid, then 422 naming it and nothing is created', async (field, patch) => {
    const body = { slug: 'invalid-one', name: 'Invalid', timeZone: 'UTC', orderCutoff: '11:00', reminderAt: '10:00', ...patch };
    const res = await http.post('/api/v1/localities', body, (await adminOf(world.app)).token);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([field]);
    expect((await http.get('/api/v1/localities/invalid-one')).status).toBe(404);
  });

  test('When a patch puts the reminder after the cut-off, then 422 and the locality is unchanged', async () => {
    await createLocality(world.app, { slug: 'kiel', orderCutoff: '11:30', reminderAt: '10:00' });
    const res = await http.patch('/api/v1/localities/kiel', { orderCutoff: '09:00' }, (await adminOf(world.app)).token);
    expect(res.status).toBe(422);
    expect((await http.get('/api/v1/localities/kiel')).body).toMatchObject({ orderCutoff: '11:30', reminderAt: '10:00' });
  });

  test('When an admin sends the reminder of an unknown locality now, then 404', async () => {
    expect((await http.post('/api/v1/localities/atlantis/reminders', {}, (await adminOf(world.app)).token)).status).toBe(404);
  });

  test('When a merchant or a customer writes localities, then 403', async () => {
    const body = { slug: 'nope', name: 'x', timeZone: 'UTC', orderCutoff: '11:00', reminderAt: '10:00' };
    for (const role of ['merchant', 'customer'] as const) {
      const user = await createUser(world.app, role);
      expect((await http.post('/api/v1/localities', body, user.token)).status).toBe(403);
      expect((await http.patch('/api/v1/localities/porto-centro', { name: 'x' }, user.token)).status).toBe(403);
      expect((await http.post('/api/v1/localities/porto-centro/reminders', {}, user.token)).status).toBe(403);
    }
  });
});
