import { ManualClock } from '../../domain/shared/clock.js';
import { eventually } from '../support/eventually.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';
import { jpegWithGps, newEntry, putPhoto } from './photo-support.js';

const DAY_MS = 24 * 3600_000;
const clock = new ManualClock(new Date('2026-12-01T08:00:00Z'));
const world = useWorld({ container: { clock }, variables: { PURGE_TIME_ZONE: 'Europe/Berlin' } });
const { http } = world;

/** Access tokens are signed and checked against the manual clock: a fresh one after moving it. */
async function fresh(user: TestUser): Promise<TestUser> {
  const { token } = await world.app.container.modules.identity.tokens.sign(user.id, user.role);
  return { ...user, token };
}

async function rows(sql: string, params: unknown[] = []) {
  return world.app.container.orm.em.fork().execute<any[]>(sql, params);
}

describe('trash purge', () => {
  test('When trash is older than 30 days, then the purge job deletes it and its photo; younger trash and live entries stay', async () => {
    let user = await createUser(world.app);
    const old = await newEntry(http, user);
    const photo = await putPhoto(http, user, old, await jpegWithGps(200));
    expect(photo.status).toBe(200);
    const [{ photo_key: photoKey }] = await rows(`select photo_key from diary_entries where id = ?`, [old]);
    const young = await newEntry(http, user);
    const live = await newEntry(http, user);
    await http.delete(`/api/v1/diary/${old}`, user.token);

    clock.advance(10 * DAY_MS);
    user = await fresh(user);
    await http.delete(`/api/v1/diary/${young}`, user.token);
    clock.advance(21 * DAY_MS); // old: 31 days in the trash; young: 21
    user = await fresh(user);

    await world.app.container.scheduler.enqueue('diary.purge-trash', {});
    await eventually(
      () => rows(`select id from diary_entries where user_id = ?`, [user.id]),
      (left) => left.length === 2,
      15_000,
    );
    expect((await rows(`select id from diary_entries where user_id = ? order by id`, [user.id])).map((r) => r.id).sort()).toEqual([young, live].sort());
    expect(await world.app.container.storage.stat(photoKey)).toBeNull();
    expect((await http.get(`/api/v1/diary/${old}`, user.token)).status).toBe(404);
    expect((await http.get('/api/v1/diary/trash', user.token)).body.items.map((e: any) => e.id)).toEqual([young]);
    expect((await http.post(`/api/v1/diary/${young}/restore`, {}, user.token)).status).toBe(200);
  });

  test('When a phone syncs after a purge, then the purged entry comes as a tombstone', async () => {
    let user = await createUser(world.app);
    const entry = await newEntry(http, user);
    const before = await http.get('/api/v1/diary/changes', user.token);
    await http.delete(`/api/v1/diary/${entry}`, user.token);
    clock.advance(31 * DAY_MS);
    user = await fresh(user);
    await world.app.container.modules.diary.purge.run();

    const delta = await http.get(`/api/v1/diary/changes?since=${before.body.nextCursor}`, user.token);
    expect(delta.body.items.at(-1)).toEqual({ kind: 'purged', id: entry, clientId: expect.any(String), purgedAt: clock.now().toISOString() });
  });

  test('When two workers purge at the same time, then every due entry is purged once with one tombstone each, and nothing fails', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => createUser(world.app)));
    const ids: string[] = [];
    for (const user of users) {
      for (let i = 0; i < 5; i++) {
        const id = await newEntry(http, user);
        await http.delete(`/api/v1/diary/${id}`, user.token);
        ids.push(id);
      }
    }
    clock.advance(31 * DAY_MS);
    const other = await world.start({ PROCESS_ROLE: 'worker', PURGE_TIME_ZONE: 'Europe/Berlin' }, { clock });
    const counts = await Promise.all([world.app.container.modules.diary.purge.run(), other.container.modules.diary.purge.run()]);

    expect(counts[0] + counts[1]).toBe(ids.length);
    expect(await rows(`select id from diary_entries where id in (?)`, [ids])).toEqual([]);
    const tombstones = await rows(`select entry_id from diary_tombstones where entry_id in (?)`, [ids]);
    expect(tombstones.map((t) => t.entry_id).sort()).toEqual([...ids].sort());
    expect(await world.app.container.modules.diary.purge.run()).toBe(0);
    await world.stop(other);
  });

  test('When the worker starts, then the purge is scheduled daily at 06:00 in PURGE_TIME_ZONE', async () => {
    const [job] = await rows(
      `select repeat_interval, repeat_timezone, next_run_at from agenda_jobs where name = 'diary.purge-trash' and repeat_interval is not null`,
    );
    expect(job).toMatchObject({ repeat_interval: '0 6 * * *', repeat_timezone: 'Europe/Berlin' });
    const next = new Date(job.next_run_at);
    const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hour12: false }).format(next);
    expect(berlin).toBe('06:00');
  });
});
