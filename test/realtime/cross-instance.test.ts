import { randomUUID } from 'node:crypto';
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
    const received = nextEvent(socket, 'cart:expired');
    const items = [{ productId: randomUUID(), quantity: 2 }];
    a.emitter.emit(rooms.user(user.id), 'cart:expired', { items });
    expect(await received).toEqual({ items });
    socket.close();
  });

  test('When a user room is emitted to, then another user does not receive it', async () => {
    const alice = await createUser(a, 'customer');
    const bob = await createUser(a, 'customer');
    const bobSocket = await connectSocket(b.url, bob.token);
    const aliceSocket = await connectSocket(b.url, alice.token);
    const aliceGot = nextEvent(aliceSocket, 'cart:expired');
    const bobGot = nextEvent(bobSocket, 'cart:expired', 500).then(() => 'leaked', () => 'nothing');
    a.emitter.emit(rooms.user(alice.id), 'cart:expired', { items: [] });
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
    const received = nextEvent(socket, 'auth:expired');
    worker.emitter.emit(rooms.user(user.id), 'auth:expired', { message: 'from the worker' });
    expect(await received).toEqual({ message: 'from the worker' });
    socket.close();
  });
});
