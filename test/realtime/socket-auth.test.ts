import { AccessTokens } from '../../domain/identity/index.js';
import { ManualClock } from '../../domain/shared/clock.js';
import type { TestApp } from '../support/test-env.js';
import { emitAck, emitRaw, nextEvent } from '../support/sockets.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

function unsignedToken(userId: string): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: userId, role: 'admin', iat: now, exp: now + 300 })}.`;
}

/** Signs with the app's secret but as if issued `ageMs` ago, so it expires sooner. */
function agedToken(app: TestApp, user: TestUser, ageMs: number): Promise<{ token: string }> {
  return new AccessTokens(app.container.config.jwtSecret, new ManualClock(new Date(Date.now() - ageMs))).sign(user.id, user.role);
}

describe('socket handshake authentication', () => {
  const world = useWorld({ variables: { PROCESS_ROLE: 'server' } });
  let user: TestUser;

  beforeAll(async () => {
    user = await createUser(world.app, 'customer');
  });

  test('When the token is missing, then the connection is refused as UNAUTHENTICATED', async () => {
    await expect(world.connect(undefined)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  test('When the token is signed with another secret, then the connection is refused', async () => {
    const forged = await new AccessTokens('another-secret-that-is-long-enough-0123456789', new ManualClock()).sign(user.id, 'admin');
    await expect(world.connect(forged.token)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  test('When the token uses alg none, then the connection is refused', async () => {
    await expect(world.connect(unsignedToken(user.id))).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  test('When the token has expired, then the connection is refused', async () => {
    const { token } = await agedToken(world.app, user, 301_000);
    await expect(world.connect(token)).rejects.toMatchObject({ message: 'Access token expired' });
  });

  test('When the token is valid, then the socket connects', async () => {
    const socket = await world.connect(user);
    expect(socket.connected).toBe(true);
  });
});

describe('socket session lifetime', () => {
  const world = useWorld({ variables: { PROCESS_ROLE: 'server' } });
  let user: TestUser;

  beforeAll(async () => {
    user = await createUser(world.app, 'customer');
  });

  test('When the token expires without renewal, then the socket is told why and disconnected', async () => {
    const { token } = await agedToken(world.app, user, 299_000); // one second left
    const socket = await world.connect(token);
    const expired = nextEvent(socket, 'auth:expired', 5_000);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(await expired).toEqual({ message: expect.stringContaining('expired') });
    expect(await disconnected).toBe('io server disconnect');
  });

  test('When auth:renew sends a fresh token for the same user, then the socket outlives the old token', async () => {
    const { token } = await agedToken(world.app, user, 299_000);
    const socket = await world.connect(token);
    const renewed = await emitAck(socket, 'auth:renew', { token: user.token });
    expect(renewed).toEqual({ ok: true, data: { expiresAt: expect.any(String) } });
    await new Promise((r) => setTimeout(r, 1_800));
    expect(socket.connected).toBe(true);
  });

  test("When auth:renew sends another user's token or garbage, then it is refused and the socket stays", async () => {
    const other = await createUser(world.app, 'customer');
    const socket = await world.connect(user);
    expect(await emitAck(socket, 'auth:renew', { token: other.token })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await emitAck(socket, 'auth:renew', { token: 'not-a-jwt' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await emitRaw(socket, 'auth:renew', null)).toMatchObject({ ok: false, error: { code: 'VALIDATION', errors: [{ path: 'token' }] } });
    expect(await emitRaw(socket, 'auth:renew', { token: user.token, role: 'admin' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(socket.connected).toBe(true);
  });

  test('When a socket floods events, then the excess is answered RATE_LIMITED and the socket stays', async () => {
    const socket = await world.connect(user);
    const acks = await Promise.all(Array.from({ length: 150 }, () => emitRaw(socket, 'auth:renew', {})));
    const limited = acks.filter((a) => a.error?.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].error.retryAfter).toBeGreaterThanOrEqual(1);
    expect(socket.connected).toBe(true);
  });
});
