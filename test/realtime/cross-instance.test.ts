import { rooms } from '../../server/realtime/rooms.js';
import { TestEnv, type TestApp } from '../support/test-env.js';
import { connectSocket, nextEvent } from '../support/sockets.js';
import { createUser } from '../support/users.js';

describe('room emits across instances', () => {
  let env: TestEnv;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    env = await TestEnv.create();
    a = await env.start({ PROCESS_ROLE: 'server' });
    b = await env.start({ PROCESS_ROLE: 'server' });
  });
  afterAll(() => env.close());

  test('When instance A emits to user:<id>, then the client connected to instance B receives it', async () => {
    const user = await createUser(a, 'customer');
    const socket = await connectSocket(b.url, user.token);
    const received = nextEvent(socket, 'notification');
    a.emitter.emit(rooms.user(user.id), 'notification', { id: 'n1', title: 'hello from A' });
    expect(await received).toEqual({ id: 'n1', title: 'hello from A' });
    socket.close();
  });

  test('When a user room is emitted to, then another user does not receive it', async () => {
    const alice = await createUser(a, 'customer');
    const bob = await createUser(a, 'customer');
    const bobSocket = await connectSocket(b.url, bob.token);
    const aliceSocket = await connectSocket(b.url, alice.token);
    const aliceGot = nextEvent(aliceSocket, 'notification');
    const bobGot = nextEvent(bobSocket, 'notification', 500).then(() => 'leaked', () => 'nothing');
    a.emitter.emit(rooms.user(alice.id), 'notification', { id: 'private' });
    await aliceGot;
    expect(await bobGot).toBe('nothing');
    bobSocket.close();
    aliceSocket.close();
  });

  test('When a worker process (no Socket.IO server) emits, then a client on a server instance receives it', async () => {
    const worker = await env.start({ PROCESS_ROLE: 'worker' });
    expect(worker.http).toBeUndefined();
    const user = await createUser(a, 'driver');
    const socket = await connectSocket(a.url, user.token);
    const received = nextEvent(socket, 'notification');
    worker.emitter.emit(rooms.user(user.id), 'notification', { id: 'from-worker' });
    expect(await received).toEqual({ id: 'from-worker' });
    socket.close();
  });
});
