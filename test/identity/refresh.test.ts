import { ManualClock } from '../../domain/shared/clock.js';
import { useWorld } from '../support/world.js';
import { registerUser } from './support.js';

const clock = new ManualClock();
const world = useWorld({ variables: { PROCESS_ROLE: 'server' }, container: { clock } });
const { http } = world;
const refresh = (refreshToken: string) => http.post('/api/v1/auth/refresh', { refreshToken });
const logout = (refreshToken: string) => http.post('/api/v1/auth/logout', { refreshToken });

describe('refresh token rotation', () => {
  test('When a live refresh token is presented, then a new pair comes back and the old refresh token is dead', async () => {
    const u = await registerUser(http);
    const res = await refresh(u.refreshToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 300,
      user: expect.objectContaining({ id: u.user.id }),
    });
    expect(res.body.refreshToken).not.toBe(u.refreshToken);
    expect((await http.get('/api/v1/me', res.body.accessToken)).status).toBe(200);
    expect((await refresh(res.body.refreshToken)).status).toBe(200);
  });

  test('When the tokens are stored, then the database holds only their SHA-256 hashes', async () => {
    const u = await registerUser(http);
    const rows = await world.app.container.orm.em.fork().getConnection().execute('select token_hash from refresh_tokens where user_id = ?', [u.user.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].token_hash).not.toContain(u.refreshToken);
    expect(Buffer.from(u.refreshToken, 'base64url')).toHaveLength(32);
  });

  test('When an unknown token is presented, then the answer is 401 INVALID_CREDENTIALS', async () => {
    const res = await refresh('bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtbm90LWF0LWFsbA');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('INVALID_CREDENTIALS');
  });

  test('When the refresh token is older than a day, then the answer is 401 INVALID_CREDENTIALS', async () => {
    const u = await registerUser(http);
    clock.advance(24 * 3600_000 + 1000);
    const res = await refresh(u.refreshToken);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('INVALID_CREDENTIALS');
  });

  test('When the body is not a token, then the answer is 422 naming refreshToken', async () => {
    const res = await http.post('/api/v1/auth/refresh', { refreshToken: 42 });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('refreshToken');
  });
});

describe('refresh token reuse', () => {
  test('When a rotated token is presented again, then 401 TOKEN_REUSED and the newest token of the family stops working too', async () => {
    const u = await registerUser(http);
    const first = await refresh(u.refreshToken);
    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);

    const replay = await refresh(u.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('TOKEN_REUSED');

    const newest = await refresh(second.body.refreshToken);
    expect(newest.status).toBe(401);
    expect(newest.body.code).toBe('TOKEN_REUSED');
  });

  test("When one family is revoked, then the same user's other logins keep working", async () => {
    const u = await registerUser(http);
    const otherLogin = await http.post('/api/v1/auth/token', { email: u.email, password: u.password });
    await refresh(u.refreshToken);
    expect((await refresh(u.refreshToken)).body.code).toBe('TOKEN_REUSED');
    expect((await refresh(otherLogin.body.refreshToken)).status).toBe(200);
  });

  test('When the same token is refreshed concurrently, then at most one request succeeds', async () => {
    const u = await registerUser(http);
    const results = await Promise.all(Array.from({ length: 6 }, () => refresh(u.refreshToken)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 401 && r.body.code === 'TOKEN_REUSED')).toBe(true);
    const live = await world.app.container.orm.em
      .fork()
      .getConnection()
      .execute('select count(*)::int as n from refresh_tokens where user_id = ? and revoked_at is null', [u.user.id]);
    expect(live[0].n).toBe(0); // the race revealed a second holder, so the whole family is revoked
  });
});

describe('logout', () => {
  test('When a user logs out, then 204 and neither that refresh token nor its successors work', async () => {
    const u = await registerUser(http);
    const rotated = await refresh(u.refreshToken);
    const res = await logout(rotated.body.refreshToken);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
  });

  test('When an unknown token is sent, then the answer is still 204', async () => {
    expect((await logout('c29tZS10b2tlbi10aGF0LW5ldmVyLWV4aXN0ZWQtYW55d2hlcmU')).status).toBe(204);
  });

  test('When the body is missing, then the answer is 422', async () => {
    const res = await http.post('/api/v1/auth/logout', {});
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('refreshToken');
  });
});
