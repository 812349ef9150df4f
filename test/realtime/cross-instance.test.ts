import { randomUUID } from 'node:crypto';
import { rooms } from '../../server/realtime/rooms.js';
import type { TestApp } from '../support/test-env.js';
import { nextEvent } from '../support/sockets.js';
import { createUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

describe('room emits across instances', () => {
  const world = useWorld({ variables: { PROCESS_ROLE: 'server' } });
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = world.app;
    b = await world.start({ PROCESS_ROLE: 'server' });
  });

  test('When instance A emits to user:<id>, then the client connected to instance B receives it', async () => {
    const user = await createUser(a, 'customer');
    const socket = await world.connect(user, b);
    const received = nextEvent(socket, 'cart:expired');
    const items = [{ productId: randomUUID(), quantity: 2 }];
    a.emitter.emit(rooms.user(user.id), 'cart:expired', { items });
    expect(await received).toEqual({ items });
  });

  test('When a user room is emitted to, then another user does not receive it', async () => {
    const alice = await createUser(a, 'customer');
    const bob = await createUser(a, 'customer');
    const bobSocket = await world.connect(bob, b);
    const aliceSocket = await world.connect(alice, b);
    const aliceGot = nextEvent(aliceSocket, 'cart:expired');
    const bobGot = nextEvent(bobSocket, 'cart:expired', 500).then(
      () => 'leaked',
      () => 'nothing',
    );
    a.emitter.emit(rooms.user(alice.id), 'cart:expired', { items: [] });
    await aliceGot;
    expect(await bobGot).toBe('nothing');
  });

  test('When a worker process (no Socket.IO server) emits, then a client on a server instance receives it', async () => {
    const worker = await world.start({ PROCESS_ROLE: 'worker' });
    expect(worker.http).toBeUndefined();
    const user = await createUser(a, 'driver');
    const socket = await world.connect(user, a);
    const received = nextEvent(socket, 'auth:expired');
    worker.emitter.emit(rooms.user(user.id), 'auth:expired', { message: 'from the worker' });
    expect(await received).toEqual({ message: 'from the worker' });
  });
});
