import { Parser } from '@asyncapi/parser';
import { clientEvents, serverEvents } from '../../server/realtime/contract.js';
import { httpClient } from '../support/http.js';
import { connectSocket, emitRaw } from '../support/sockets.js';
import { TestEnv, type TestApp } from '../support/test-env.js';
import { createUser } from '../support/users.js';

describe('the socket contract', () => {
  let env: TestEnv;
  let app: TestApp;

  beforeAll(async () => {
    env = await TestEnv.create();
    app = await env.start();
  });
  afterAll(() => env.close());

  test('When /asyncapi.json is fetched, then it is a valid AsyncAPI 3 document listing every event, payload, ack and error code', async () => {
    const res = await httpClient(app.url).get('/asyncapi.json');
    expect(res.status).toBe(200);
    const { document, diagnostics } = await new Parser().parse(res.body);
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
    const addresses = document!
      .channels()
      .all()
      .map((c) => c.address());
    expect(addresses.sort()).toEqual([...Object.keys(clientEvents), ...Object.keys(serverEvents)].sort());
    const place = document!
      .operations()
      .all()
      .find((o) => o.id() === 'order.place')!;
    expect(place.action()).toBe('receive');
    expect(place.reply()?.messages().all()).toHaveLength(1);
    expect(JSON.stringify(res.body.components.schemas.AckError)).toContain('OUT_OF_STOCK');
  });

  test('When every contract event is sent, then each has a handler that answers with an ack (no event is declared but unhandled)', async () => {
    const user = await createUser(app, 'customer');
    const socket = await connectSocket(app.url, user.token);
    try {
      for (const event of Object.keys(clientEvents)) {
        const ack = await emitRaw(socket, event, { unexpected: true });
        expect({ event, ok: ack.ok, code: ack.error?.code }).toEqual({ event, ok: false, code: 'VALIDATION' });
      }
    } finally {
      socket.close();
    }
  });
});
