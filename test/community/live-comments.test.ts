import type { CommentAdded } from '../../domain/community/index.js';
import { emitAck, emitRaw, nextEvent } from '../support/sockets.js';
import type { TestApp } from '../support/test-env.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const world = useWorld();
const { http } = world;
let second: TestApp;
let author: TestUser;

beforeAll(async () => {
  second = await world.start({ PROCESS_ROLE: 'server' });
  author = await createUser(world.app);
});

/** A post by a new author (each user may write 5 posts an hour); `author` is that author afterwards. */
async function newPost(): Promise<string> {
  author = await createUser(world.app);
  const res = await http.post('/api/v1/boards/pregnancy/posts', { title: 'Cheese question', body: 'Is halloumi fine?' }, author.token);
  return res.body.id;
}

describe('live comments across instances', () => {
  test('When comments arrive over the socket on one instance and REST on the other, then watchers on both get comment:added', async () => {
    const postId = await newPost();
    const [watcherA, watcherB, commenter] = await Promise.all([createUser(world.app), createUser(world.app), createUser(world.app)]);
    const onA = await world.connect(watcherA);
    const onB = await world.connect(watcherB, second);
    expect((await emitAck(onA, 'post:watch', { postId })).data).toEqual({ postId, comments: [], hasMore: false });
    expect((await emitAck(onB, 'post:watch', { postId })).ok).toBe(true);

    const socket = await world.connect(commenter, second);
    const gotA = nextEvent(onA, 'comment:added');
    const gotB = nextEvent(onB, 'comment:added');
    const ack = await emitAck(socket, 'comment:add', { postId, body: 'Yes, if pasteurised.' });
    expect(ack.ok).toBe(true);
    expect(ack.data).toMatchObject({ postId, authorId: commenter.id, body: 'Yes, if pasteurised.', authorName: expect.any(String) });
    expect((await gotA).comment).toEqual(ack.data);
    expect((await gotB).comment).toEqual(ack.data);

    const viaRest = nextEvent(onA, 'comment:added', 5_000, (p) => p.comment.body === 'Check the label.');
    const rest = await http.post(`/api/v1/posts/${postId}/comments`, { body: 'Check the label.' }, commenter.token);
    expect(rest.status).toBe(201);
    expect((await viaRest).comment.id).toBe(rest.body.id);
  });

  test('When a comment is deleted over REST, then watchers on every instance get comment:deleted, and it leaves the list', async () => {
    const postId = await newPost();
    const commenter = await createUser(world.app);
    const created = await http.post(`/api/v1/posts/${postId}/comments`, { body: 'oops' }, commenter.token);
    const onA = await world.connect(author);
    const onB = await world.connect(author, second);
    await emitAck(onA, 'post:watch', { postId });
    await emitAck(onB, 'post:watch', { postId });
    const gotA = nextEvent(onA, 'comment:deleted');
    const gotB = nextEvent(onB, 'comment:deleted');

    expect((await http.delete(`/api/v1/comments/${created.body.id}`, author.token)).status).toBe(403);
    expect((await http.delete(`/api/v1/comments/${created.body.id}`, commenter.token)).status).toBe(204);
    expect(await gotA).toEqual({ commentId: created.body.id, postId });
    expect(await gotB).toEqual({ commentId: created.body.id, postId });
    expect((await http.get(`/api/v1/posts/${postId}/comments`, author.token)).body.items).toEqual([]);
    expect((await http.get(`/api/v1/posts/${postId}`, author.token)).body.commentCount).toBe(0);
  });

  test('When a phone reconnects with sinceCommentId, then the watch ack carries exactly the comments it missed, oldest first', async () => {
    const postId = await newPost();
    const commenter = await createUser(world.app);
    const phone = await world.connect(author);
    await emitAck(phone, 'post:watch', { postId });
    const pushed = nextEvent(phone, 'comment:added');
    const seen = await http.post(`/api/v1/posts/${postId}/comments`, { body: 'seen' }, commenter.token);
    await pushed;
    phone.close(); // offline
    const missed = [];
    for (const body of ['missed 1', 'missed 2', 'missed 3']) missed.push((await http.post(`/api/v1/posts/${postId}/comments`, { body }, commenter.token)).body);
    await http.delete(`/api/v1/comments/${missed[1].id}`, commenter.token);

    const again = await world.connect(author, second);
    const ack = await emitAck(again, 'post:watch', { postId, sinceCommentId: seen.body.id });
    expect(ack.data.comments.map((c) => c.body)).toEqual(['missed 1', 'missed 3']);
    expect(ack.data.hasMore).toBe(false);
    const live = nextEvent(again, 'comment:added');
    await http.post(`/api/v1/posts/${postId}/comments`, { body: 'live again' }, commenter.token);
    expect((await live).comment.body).toBe('live again');
  });

  test('When someone comments on your post, then comment.added carries the post, its author and the comment for a notification', async () => {
    const postId = await newPost();
    const commenter = await createUser(world.app);
    const events: CommentAdded[] = [];
    const unsubscribe = world.app.container.events.subscribe('comment.added', (e) => void events.push(e));
    try {
      const created = await http.post(`/api/v1/posts/${postId}/comments`, { body: 'Congratulations!' }, commenter.token);
      expect(events).toEqual([
        {
          postId,
          postAuthorId: author.id,
          postTitle: 'Cheese question',
          boardSlug: 'pregnancy',
          comment: expect.objectContaining({ id: created.body.id, authorId: commenter.id }),
        },
      ]);
    } finally {
      unsubscribe();
    }
  });

  test('When 12 users comment at once while an admin hides the post, then every stored comment is counted and has exactly one comment.added in the outbox, and no refused one left any', async () => {
    const postId = await newPost();
    const [admin, ...commenters] = await Promise.all([createUser(world.app, 'admin'), ...Array.from({ length: 12 }, () => createUser(world.app))]);
    const sockets = await Promise.all(commenters.map((c, i) => world.connect(c, i % 2 ? second : undefined)));
    const [acks] = await Promise.all([
      Promise.all(sockets.map((s, i) => emitAck(s, 'comment:add', { postId, body: `at once ${i}` }))),
      new Promise((resolve) => setTimeout(resolve, 5)).then(() => http.post(`/api/v1/moderation/posts/${postId}/hide`, undefined, admin.token)),
    ]);
    const em = world.app.container.orm.em.fork();
    const stored = await em.execute<Array<{ id: string }>>(`select id from comments where post_id = ? order by seq`, [postId]);
    const [post] = await em.execute<Array<{ comment_count: number }>>(`select comment_count from posts where id = ?`, [postId]);
    const events = await em.execute<Array<{ id: string }>>(
      `select payload->'comment'->>'id' as id from outbox where name = 'comment.added' and payload->>'postId' = ?`,
      [postId],
    );
    const accepted = acks.filter((a) => a.ok).map((a) => (a.data as { id: string }).id);
    expect(acks.filter((a) => !a.ok).every((a) => ['NOT_FOUND', 'CONFLICT'].includes(a.error.code))).toBe(true);
    expect(new Set(stored.map((r) => r.id))).toEqual(new Set(accepted));
    expect(post.comment_count).toBe(stored.length);
    expect(events.map((e) => e.id).sort()).toEqual(accepted.sort());
  });

  test('When socket payloads are hostile, then the ack is VALIDATION naming the field and nothing is stored', async () => {
    const postId = await newPost();
    const socket = await world.connect(author);
    const cases: Array<[string, unknown, string]> = [
      ['post:watch', { postId: 'nope' }, 'postId'],
      ['post:watch', { postId, sinceCommentId: 42 }, 'sinceCommentId'],
      ['comment:add', { postId, body: '' }, 'body'],
      ['comment:add', { postId, body: 'x'.repeat(2001) }, 'body'],
      ['comment:add', { postId, body: 'hi', extra: true }, 'extra'],
    ];
    for (const [event, payload, field] of cases) {
      const ack = await emitRaw(socket, event, payload);
      expect(ack.ok).toBe(false);
      expect(ack.error).toMatchObject({ code: 'VALIDATION', errors: [expect.objectContaining({ path: field })] });
    }
    expect((await emitRaw(socket, 'post:watch', { postId, sinceCommentId: '00000000-0000-4000-8000-000000000000' })).error.code).toBe('VALIDATION');
    expect((await http.get(`/api/v1/posts/${postId}/comments`, author.token)).body.items).toEqual([]);
  });

  test('When a user comments an 11th time within a minute, then RATE_LIMITED, counted across instances', async () => {
    const postId = await newPost();
    const chatty = await createUser(world.app);
    const onA = await world.connect(chatty);
    const onB = await world.connect(chatty, second);
    const acks = [];
    for (let i = 0; i < 11; i++) acks.push(await emitAck(i % 2 ? onB : onA, 'comment:add', { postId, body: `message ${i}` }));
    expect(acks.slice(0, 10).every((a) => a.ok)).toBe(true);
    expect(acks[10].error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  });

  test('When an admin sets slow mode, then a second comment within the period is RATE_LIMITED (admins are exempt)', async () => {
    const postId = await newPost();
    const admin = await createUser(world.app, 'admin');
    const slow = await http.put(`/api/v1/posts/${postId}/slow-mode`, { seconds: 60 }, admin.token);
    expect(slow.body.slowModeSeconds).toBe(60);
    expect((await http.put(`/api/v1/posts/${postId}/slow-mode`, { seconds: 60 }, author.token)).status).toBe(403);
    const user = await createUser(world.app);
    expect((await http.post(`/api/v1/posts/${postId}/comments`, { body: 'first' }, user.token)).status).toBe(201);
    const second = await http.post(`/api/v1/posts/${postId}/comments`, { body: 'second' }, user.token);
    expect(second.status).toBe(429);
    expect(second.body.retryAfter).toBeGreaterThan(50);
    expect((await http.post(`/api/v1/posts/${postId}/comments`, { body: 'mod 1' }, admin.token)).status).toBe(201);
    expect((await http.post(`/api/v1/posts/${postId}/comments`, { body: 'mod 2' }, admin.token)).status).toBe(201);
  });
});

describe('comment notifications', () => {
  test('When someone comments on a post, then its author gets one notification live (and none for their own comment); a redelivered event does not notify twice', async () => {
    const postId = await newPost();
    const postAuthor = author;
    const commenter = await createUser(world.app);
    const authorSocket = await world.connect(postAuthor, second);
    const pushed = nextEvent(authorSocket, 'notification', 10_000);
    const res = await http.post(`/api/v1/posts/${postId}/comments`, { body: 'Halloumi is fine when pasteurised.' }, commenter.token);
    expect(res.status).toBe(201);
    expect(await pushed).toMatchObject({ type: 'comment.added', data: { postId, commentId: res.body.id }, body: 'Halloumi is fine when pasteurised.' });
    expect((await http.post(`/api/v1/posts/${postId}/comments`, { body: 'Thanks!' }, postAuthor.token)).status).toBe(201);

    // Deliver the comment's outbox event again, as a crash between consumer and completion would.
    const em = world.app.container.orm.em.fork();
    await em.execute(`update outbox set dispatched_at = null, available_at = now() - interval '1 second' where name = 'comment.added'`);
    await world.app.container.modules.outbox.drain();
    const listed = await http.get('/api/v1/notifications', postAuthor.token);
    expect(listed.body.items.filter((n: { type: string }) => n.type === 'comment.added')).toHaveLength(1);
  });
});
