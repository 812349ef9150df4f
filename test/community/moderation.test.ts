import { emitAck, nextEvent } from '../support/sockets.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const world = useWorld();
const { http } = world;
let author: TestUser;
let admin: TestUser;

beforeAll(async () => {
  [author, admin] = await Promise.all([createUser(world.app), createUser(world.app, 'admin')]);
});

/** A post by a new author (each user may write 5 posts an hour); `author` is that author afterwards. */
async function newPost(title = 'Halal gummies?'): Promise<string> {
  author = await createUser(world.app);
  return (await http.post('/api/v1/boards/halal/posts', { title, body: 'Which brands?' }, author.token)).body.id;
}

describe('reports', () => {
  test('When 3 distinct users report a comment at once, then it is hidden pending review, its watchers see it go, and it is in the admin queue', async () => {
    const postId = await newPost();
    const commenter = await createUser(world.app);
    const comment = (await http.post(`/api/v1/posts/${postId}/comments`, { body: 'buy my stuff at spam.example' }, commenter.token)).body;
    const watcher = await world.connect(author);
    await emitAck(watcher, 'post:watch', { postId });
    const gone = nextEvent(watcher, 'comment:deleted');

    const reporters = await Promise.all(Array.from({ length: 3 }, () => createUser(world.app)));
    const results = await Promise.all(reporters.map((r) => http.post(`/api/v1/comments/${comment.id}/report`, { reason: 'spam' }, r.token)));
    expect(results.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(results.filter((r) => r.body.hidden)).not.toHaveLength(0);
    expect(await gone).toEqual({ commentId: comment.id, postId });
    expect((await http.get(`/api/v1/posts/${postId}/comments`, author.token)).body.items).toEqual([]);
    expect((await http.get(`/api/v1/posts/${postId}`, author.token)).body.commentCount).toBe(0);

    const queue = await http.get('/api/v1/moderation/reports', admin.token);
    expect(queue.body.items.find((i: any) => i.id === comment.id)).toMatchObject({
      kind: 'comment',
      postId,
      status: 'hidden',
      hiddenBy: 'reports',
      reportCount: 3,
      excerpt: 'buy my stuff at spam.example',
    });
    expect((await http.get('/api/v1/moderation/reports', author.token)).status).toBe(403);
  });

  test('When one user reports twice, then it counts once; reporting your own post is refused', async () => {
    const postId = await newPost();
    const reporter = await createUser(world.app);
    for (let i = 0; i < 3; i++) expect((await http.post(`/api/v1/posts/${postId}/report`, {}, reporter.token)).body.hidden).toBe(false);
    expect((await http.get(`/api/v1/posts/${postId}`, reporter.token)).status).toBe(200);
    expect((await http.post(`/api/v1/posts/${postId}/report`, {}, author.token)).status).toBe(403);
  });

  test('When 3 users report a post, then it leaves the board (its author still sees it, hidden), and an admin restores it', async () => {
    const postId = await newPost('Questionable');
    const reporters = await Promise.all(Array.from({ length: 3 }, () => createUser(world.app)));
    for (const r of reporters) await http.post(`/api/v1/posts/${postId}/report`, { reason: 'off topic' }, r.token);
    expect((await http.get(`/api/v1/posts/${postId}`, reporters[0].token)).status).toBe(404);
    expect((await http.get(`/api/v1/posts/${postId}`, author.token)).body.status).toBe('hidden');
    expect((await http.get('/api/v1/boards/halal/posts?limit=100', author.token)).body.items.some((p: any) => p.id === postId)).toBe(false);

    const restored = await http.post(`/api/v1/moderation/posts/${postId}/restore`, undefined, admin.token);
    expect(restored.status).toBe(200);
    expect(restored.body.status).toBe('visible');
    expect((await http.get(`/api/v1/posts/${postId}`, reporters[0].token)).status).toBe(200);
    const queue = await http.get('/api/v1/moderation/reports', admin.token);
    expect(queue.body.items.some((i: any) => i.id === postId)).toBe(false);
  });

  test('When an admin hides and restores a comment, then watchers get comment:deleted then comment:added', async () => {
    const postId = await newPost();
    const comment = (await http.post(`/api/v1/posts/${postId}/comments`, { body: 'borderline' }, (await createUser(world.app)).token)).body;
    const watcher = await world.connect(author);
    await emitAck(watcher, 'post:watch', { postId });
    const hidden = nextEvent(watcher, 'comment:deleted');
    expect((await http.post(`/api/v1/moderation/comments/${comment.id}/hide`, undefined, admin.token)).status).toBe(200);
    await hidden;
    const back = nextEvent(watcher, 'comment:added');
    expect((await http.post(`/api/v1/moderation/comments/${comment.id}/restore`, undefined, admin.token)).status).toBe(200);
    expect((await back).comment.id).toBe(comment.id);
    expect((await http.post(`/api/v1/moderation/comments/${comment.id}/hide`, undefined, author.token)).status).toBe(403);
  });
});
