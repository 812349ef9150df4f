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
    const received = nextEvent(socket, 'notification');
    a.emitter.emit(rooms.user(user.id), 'notification', { id: 'n1', title: 'hello from A' });
    expect(await received).toEqual({ id: 'n1', title: 'hello from A' });
  });

  test('When a user room is emitted to, then another user does not receive it', async () => {
    const alice = await createUser(a, 'customer');
    const bob = await createUser(a, 'customer');
    const bobSocket = await world.connect(bob, b);
    const aliceSocket = await world.connect(alice, b);
    const aliceGot = nextEvent(aliceSocket, 'notification');
    const bobGot = nextEvent(bobSocket, 'notification', 500).then(() => 'leaked', () => 'nothing');
    a.emitter.emit(rooms.user(alice.id), 'notification', { id: 'private' });
    await aliceGot;
    expect(await bobGot).toBe('nothing');
  });

  test('When a worker process (no Socket.IO server) emits, then a client on a server instance receives it', async () => {
    const worker = await world.start({ PROCESS_ROLE: 'worker' });
    expect(worker.http).toBeUndefined();
    const user = await createUser(a, 'driver');
    const socket = await world.connect(user, a);
    const received = nextEvent(socket, 'notification');
    worker.emitter.emit(rooms.user(user.id), 'notification', { id: 'from-worker' });
    expect(await received).toEqual({ id: 'from-worker' });
  });
});
