import { withAdmin } from '../support/databases.js';
import { useWorld } from '../support/world.js';
import { eventually, readJsonLines, registerUser } from '../identity/support.js';

describe('platform endpoints', () => {
  const world = useWorld();

  test('When /healthz is asked, then it answers ok', async () => {
    const res = await world.http.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('When every store answers, then /readyz is 200 with each check', async () => {
    const res = await world.http.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toMatchObject({ postgres: { ok: true }, redis: { ok: true }, scheduler: { ok: true } });
  });

  test('When a request is made, then /metrics counts it by route and status', async () => {
    const http = world.http;
    await http.get('/healthz');
    const res = await http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/larder_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(res.body).toMatch(/larder_http_request_duration_seconds_bucket/);
    expect(res.body).toMatch(/larder_socket_connections/);
  });

  test('When /openapi.json is asked, then it is an OpenAPI 3.1 document and /docs renders it', async () => {
    const http = world.http;
    const doc = await http.get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.components.securitySchemes.bearerAuth).toBeDefined();
    const docs = await http.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.body).toContain('/openapi.json');
  });

  test('When a path does not exist, then the answer is problem+json 404 with a request id', async () => {
    const res = await world.http.get('/api/v1/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'about:blank', status: 404, code: 'NOT_FOUND' });
    expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
  });

  test('When the client sends a request id, then it is echoed back', async () => {
    const res = await world.http.get('/healthz', undefined, { 'x-request-id': 'client-abc-123' });
    expect(res.headers.get('x-request-id')).toBe('client-abc-123');
  });
});

describe('readiness while Redis is unreachable', () => {
  const world = useWorld({ redisProxy: true, variables: { PROCESS_ROLE: 'server' } });

  test('When Redis goes away, then /readyz is 503 naming redis, and it recovers when Redis is back', async () => {
    const http = world.http;
    expect((await http.get('/readyz')).status).toBe(200);

    world.redisProxy.cut();
    const down = await http.get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body.failing).toEqual(['redis']);
    expect(down.body.checks.postgres.ok).toBe(true);

    world.redisProxy.restore();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await http.get('/readyz')).status;
    }
    expect(status).toBe(200);
  });
});

describe('scheduler when PostgreSQL drops its LISTEN connection', () => {
  const world = useWorld(); // role `all`: the worker listens for job notifications

  const listenPids = () =>
    withAdmin(async (c) => {
      const { rows } = await c.query<{ pid: number }>(`select pid from pg_stat_activity where datname = $1 and query ilike 'listen%'`, [world.env.dbName]);
      return rows.map((r) => r.pid);
    });

  test('When the connection is terminated, then the process survives, listens again and still runs jobs', async () => {
    const [before] = await eventually(async () => ((await listenPids()).length ? listenPids() : undefined));
    await withAdmin((c) => c.query('select pg_terminate_backend($1)', [before]));

    const after = await eventually(async () => (await listenPids()).find((pid) => pid !== before));
    expect(after).not.toBe(before);

    const user = await registerUser(world.http);
    expect((await world.http.post('/api/v1/auth/password/forgot', { email: user.email })).status).toBe(202);
    const mails = await eventually(async () => {
      const sent = (await readJsonLines<{ to: string }>(world.env.mailOutboxFile)).filter((m) => m.to === user.email);
      return sent.length ? sent : undefined;
    });
    expect(mails).toHaveLength(1);
  });
});
