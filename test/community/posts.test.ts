import { jpegWithGps, newEntry, putPhoto } from '../diary/photo-support.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const world = useWorld();
const { http } = world;

async function post(user: TestUser, board: string, body: Record<string, unknown>) {
  return http.post(`/api/v1/boards/${board}/posts`, body, user.token);
}

describe('boards and posts', () => {
  test('When boards are listed, then there is one per condition and diet, with visible post counts', async () => {
    const user = await createUser(world.app);
    const before = await http.get('/api/v1/boards', user.token);
    expect(before.body.map((b: any) => b.slug)).toEqual(
      expect.arrayContaining(['low-salt', 'iodine-restricted', 'low-fibre', 'low-starch', 'vegan', 'halal', 'pregnancy']),
    );
    await post(user, 'vegan', { title: 'Best tofu?', body: 'Looking for a firm one.' });
    const after = await http.get('/api/v1/boards', user.token);
    const count = (list: any[]) => list.find((b) => b.slug === 'vegan').postCount;
    expect(count(after.body) - count(before.body)).toBe(1);
  });

  test("When posts are listed, then newest first with cursor paging, and a post's author deletes it with its comments", async () => {
    const user = await createUser(world.app);
    const ids: string[] = [];
    for (const title of ['one', 'two', 'three']) ids.push((await post(user, 'low-fibre', { title, body: 'text' })).body.id);
    const page1 = await http.get('/api/v1/boards/low-fibre/posts?limit=2', user.token);
    expect(page1.body.items.map((p: any) => p.title)).toEqual(['three', 'two']);
    const page2 = await http.get(`/api/v1/boards/low-fibre/posts?limit=2&cursor=${page1.body.nextCursor}`, user.token);
    expect(page2.body.items.map((p: any) => p.title)).toEqual(['one']);

    const other = await createUser(world.app);
    await http.post(`/api/v1/posts/${ids[0]}/comments`, { body: 'nice' }, other.token);
    expect((await http.delete(`/api/v1/posts/${ids[0]}`, other.token)).status).toBe(403);
    expect((await http.delete(`/api/v1/posts/${ids[0]}`, user.token)).status).toBe(204);
    expect((await http.get(`/api/v1/posts/${ids[0]}`, user.token)).status).toBe(404);
    const [{ n }] = await world.app.container.orm.em.fork().execute<any[]>(`select count(*) as n from comments where post_id = ?`, [ids[0]]);
    expect(Number(n)).toBe(0);
  });

  test('When an entry with a photo is shared, then the post shows its totals and a signed photo link; once the post is deleted no link is given', async () => {
    const user = await createUser(world.app);
    const entryId = await newEntry(http, user);
    await putPhoto(http, user, entryId, await jpegWithGps(120));
    const shared = await http.post(`/api/v1/diary/${entryId}/share`, { boardSlug: 'low-salt' }, user.token);
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({ boardSlug: 'low-salt', title: 'Lunch on 2026-12-03', entry: { id: entryId, totals: { salt: 1.2 } } });
    const link = new URL(shared.body.entry.photoUrl);
    expect(link.searchParams.get('signature')).toBeTruthy();
    expect(shared.body.entry).not.toHaveProperty('clientId');

    const reader = await createUser(world.app);
    const seen = await http.get(`/api/v1/posts/${shared.body.id}`, reader.token);
    expect((await fetch(world.app.url + new URL(seen.body.entry.photoUrl).pathname + new URL(seen.body.entry.photoUrl).search)).status).toBe(200);

    await http.delete(`/api/v1/posts/${shared.body.id}`, user.token);
    expect((await http.get(`/api/v1/posts/${shared.body.id}`, reader.token)).status).toBe(404);
    const list = await http.get('/api/v1/boards/low-salt/posts', reader.token);
    expect(list.body.items.some((p: any) => p.id === shared.body.id)).toBe(false);
  });

  test('When the shared entry is trashed, then the post no longer shows it', async () => {
    const user = await createUser(world.app);
    const entryId = await newEntry(http, user);
    const shared = await http.post(`/api/v1/diary/${entryId}/share`, { boardSlug: 'low-salt', title: 'My soup' }, user.token);
    await http.delete(`/api/v1/diary/${entryId}`, user.token);
    expect((await http.get(`/api/v1/posts/${shared.body.id}`, user.token)).body.entry).toBeNull();
  });

  test("When someone shares another user's entry, then 404 and no post is made", async () => {
    const [owner, thief] = await Promise.all([createUser(world.app), createUser(world.app)]);
    const entryId = await newEntry(http, owner);
    expect((await http.post(`/api/v1/diary/${entryId}/share`, { boardSlug: 'vegan' }, thief.token)).status).toBe(404);
    expect((await post(thief, 'vegan', { title: 'stolen', diaryEntryId: entryId })).status).toBe(404);
  });
});

describe('posts: hostile input and limits', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser(world.app);
  });

  test.each([
    ['no title', { body: 'x' }, 'title'],
    ['a 201-character title', { title: 't'.repeat(201), body: 'x' }, 'title'],
    ['a 10,001-character body', { title: 't', body: 'b'.repeat(10_001) }, 'body'],
    ['neither body nor entry', { title: 't' }, 'body'],
    ['a control character', { title: 'bell\u0007', body: 'x' }, 'title'],
    ['an unknown field', { title: 't', body: 'x', html: '<b>' }, 'html'],
  ])('When a post has %s, then 422 names the field', async (_, body, field) => {
    const res = await post(user, 'vegan', body);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe(field);
  });

  test('When the board does not exist, then 404', async () => {
    expect((await post(user, 'no-such-board', { title: 't', body: 'x' })).status).toBe(404);
  });

  test('When a user writes a sixth post within the hour, then 429 RATE_LIMITED with retryAfter and no post', async () => {
    const writer = await createUser(world.app);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await post(writer, 'halal', { title: `p${i}`, body: 'x' }));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 429]);
    expect(results[5].body).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    const mine = (await http.get('/api/v1/boards/halal/posts?limit=100', writer.token)).body.items.filter((p: any) => p.authorId === writer.id);
    expect(mine).toHaveLength(5);
  });
});
