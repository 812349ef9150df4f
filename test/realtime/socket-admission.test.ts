import { io } from 'socket.io-client';
import type { TestApp } from '../support/test-env.js';
import { connectSocket, type TestSocket } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

const CAP = 3;

/** Every handshake's outcome: the socket, or the refusal's code. */
async function race(attempts: Array<{ app: TestApp; token: string }>): Promise<{ sockets: TestSocket[]; refused: string[] }> {
  const outcomes = await Promise.all(
    attempts.map(({ app, token }) =>
      connectSocket(app.url, token).then(
        (socket) => ({ socket }),
        (err: Error & { data?: { code?: string } }) => ({ code: err.data?.code ?? err.message }),
      ),
    ),
  );
  return {
    sockets: outcomes.flatMap((o) => ('socket' in o ? [o.socket] : [])),
    refused: outcomes.flatMap((o) => ('code' in o ? [o.code] : [])),
  };
}

describe('socket admission at the handshake (token, revocation, per-user cap in one Redis round trip)', () => {
  const world = useWorld({ variables: { PROCESS_ROLE: 'server', SOCKETS_PER_USER: String(CAP) } });
  let second: TestApp;

  beforeAll(async () => {
    second = await world.start({ PROCESS_ROLE: 'server', SOCKETS_PER_USER: String(CAP) });
  });

  test('When one user races 12 handshakes over two instances, then exactly the cap connect and the rest get TOO_MANY_CONNECTIONS', async () => {
    const user = await createUser(world.app);
    const { sockets, refused } = await race(Array.from({ length: 12 }, (_, i) => ({ app: i % 2 ? second : world.app, token: user.token })));
    try {
      expect(sockets).toHaveLength(CAP);
      expect(refused).toEqual(Array(12 - CAP).fill('TOO_MANY_CONNECTIONS'));
    } finally {
      for (const s of sockets) s.close();
    }
  });

  test('When a revoked token races handshakes, then all are refused UNAUTHENTICATED and take no slot: a fresh token still opens the cap', async () => {
    const admin = await createUser(world.app, 'admin');
    const user = await createUser(world.app);
    expect((await world.http.post(`/api/v1/users/${user.id}/disable`, {}, admin.token)).status).toBe(200);
    expect((await world.http.post(`/api/v1/users/${user.id}/enable`, {}, admin.token)).status).toBe(200);
    const revoked = await race(Array.from({ length: 8 }, (_, i) => ({ app: i % 2 ? second : world.app, token: user.token })));
    expect(revoked.sockets).toHaveLength(0);
    expect(revoked.refused).toEqual(Array(8).fill('UNAUTHENTICATED'));

    const { token } = await world.app.container.modules.identity.tokens.sign(user.id, 'customer');
    const fresh = await race(Array.from({ length: CAP + 1 }, () => ({ app: world.app, token })));
    try {
      expect(fresh.sockets).toHaveLength(CAP);
      expect(fresh.refused).toEqual(['TOO_MANY_CONNECTIONS']);
    } finally {
      for (const s of fresh.sockets) s.close();
    }
  });

  test('When a client starts on long-polling and upgrades to websocket, then it connects and stays connected (the handshake writes are corked only for websocket handshakes)', async () => {
    const user = await createUser(world.app);
    const socket = io(world.app.url, { auth: { token: user.token }, transports: ['polling', 'websocket'], reconnection: false, forceNew: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      await new Promise<void>((resolve) => {
        if (socket.io.engine.transport.name === 'websocket') resolve();
        else socket.io.engine.once('upgrade', () => resolve());
      });
      expect(socket.connected).toBe(true);
      expect(socket.io.engine.transport.name).toBe('websocket');
    } finally {
      socket.close();
    }
  });
});
