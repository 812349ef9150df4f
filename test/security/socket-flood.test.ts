import type { TestApp } from '../support/test-env.js';
import { eventually } from '../support/eventually.js';
import { connectSocket, emitRaw, type TestSocket } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const LIMITS = { SOCKETS_PER_USER: '3', SOCKET_USER_EVENTS_PER_SECOND: '20' };

describe('one token, many sockets', () => {
  const world = useWorld({ variables: { PROCESS_ROLE: 'server', ...LIMITS } });
  let second: TestApp;

  beforeAll(async () => {
    second = await world.start({ PROCESS_ROLE: 'server', ...LIMITS });
  });

  test('When one user opens more sockets than SOCKETS_PER_USER across instances, then the extra handshakes get TOO_MANY_CONNECTIONS; closing one frees a slot', async () => {
    const user = await createUser(world.app);
    const open = [await world.connect(user), await world.connect(user), await world.connect(user, second)];
    for (const app of [world.app, second]) {
      await expect(connectSocket(app.url, user.token)).rejects.toMatchObject({ data: { code: 'TOO_MANY_CONNECTIONS' } });
    }
    expect((await connectSocket(world.app.url, (await createUser(world.app)).token)).close().connected).toBe(false); // others are not affected
    open[0].close();
    const reopened = await eventually(
      () => connectSocket(second.url, user.token).catch(() => null),
      (socket) => socket !== null,
    );
    expect(reopened!.connected).toBe(true);
    reopened!.close();
  });

  test('When a user floods events over all their sockets, then about the per-user budget is answered and the rest is RATE_LIMITED', async () => {
    const user = await createUser(world.app);
    const sockets = [await world.connect(user), await world.connect(user), await world.connect(user)];
    const acks = await Promise.all(sockets.flatMap((s) => Array.from({ length: 30 }, () => emitRaw(s, 'cart:get', {}))));
    const ok = acks.filter((a) => a.ok).length;
    expect(ok).toBeGreaterThanOrEqual(20);
    expect(ok).toBeLessThan(30); // each socket alone could have sent all 30 (per-socket burst 100)
    expect(acks.filter((a) => !a.ok).every((a) => a.error.code === 'RATE_LIMITED' && (a.error.retryAfter as number) >= 1)).toBe(true);
    expect(sockets.every((s) => s.connected)).toBe(true);
  });

  test('When a user floods from sockets on two instances, then the per-user limit holds across them (Redis)', async () => {
    const user = await createUser(world.app);
    const [onA, onB] = [await world.connect(user), await world.connect(user, second)];
    const burst = async (socket: TestSocket) =>
      (await Promise.all(Array.from({ length: 30 }, () => emitRaw(socket, 'cart:get', {})))).filter((a) => a.ok).length;
    const okOnA = await burst(onA);
    const okOnB = await burst(onB); // B's own buckets are full, the user's shared one is not
    expect(okOnA).toBeGreaterThanOrEqual(20);
    expect(okOnA + okOnB).toBeLessThanOrEqual(20 + 10); // the bucket (20) plus what refills while the bursts run
    expect(okOnB).toBeLessThan(20);
  });
});
