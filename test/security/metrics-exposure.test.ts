import { randomBytes } from 'node:crypto';
import { httpClient } from '../support/http.js';
import { useWorld } from '../support/world.js';

/** The number of time series /metrics exposes for the HTTP request metrics. */
function httpSeries(metricsText: string): number {
  return metricsText.split('\n').filter((line) => line.startsWith('larder_http_request')).length;
}

describe('/metrics label cardinality', () => {
  const world = useWorld({ variables: { PROCESS_ROLE: 'server' } });

  test('When thousands of unique unmatched, OPTIONS and odd-method paths are sent, then the series count stays the same', async () => {
    const probe = async () => {
      await Promise.all([
        world.http.request('OPTIONS', `/api/v1/products/${'x'.repeat(64)}`),
        world.http.request('PUT', `/api/v1/products/${'y'.repeat(64)}`),
        world.http.get(`/nowhere/${'z'.repeat(64)}`),
        world.http.request('PROPFIND', `/api/v1/orders/${'w'.repeat(64)}`),
      ]);
      return httpSeries((await world.http.get('/metrics')).body);
    };
    await probe(); // the first scrape itself is counted after it answered
    const baseline = await probe();
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const unique = `${batch}-${i}-${randomBytes(1024).toString('hex')}`; // 2 KB paths, as in the attack
          return i % 4 === 0
            ? world.http.request('OPTIONS', `/api/v1/products/${unique}`)
            : i % 4 === 1
              ? world.http.request('PUT', `/api/v1/products/${unique}`)
              : i % 4 === 2
                ? world.http.get(`/${unique}`)
                : world.http.request('PROPFIND', `/api/v1/orders/${unique}`);
        }),
      );
    }
    const text = (await world.http.get('/metrics')).body as string;
    expect(httpSeries(text)).toBe(await probe());
    expect(httpSeries(text)).toBe(baseline);
    expect(text).not.toMatch(/route="\/api\/v1\/products\/[0-9a-f]{16}/);
    expect(text).toMatch(/method="OPTIONS",route="\/api\/v1\/products\/:id",status="200"/);
    expect(text).toMatch(/method="PUT",route="\/api\/v1\/products\/:id",status="405"/);
    expect(text).toMatch(/method="OTHER"/);
    expect(text).toMatch(/route="unmatched",status="404"/);
    expect(text.length).toBeLessThan(200_000);
  }, 60_000);
});

describe('/metrics outside development', () => {
  const world = useWorld({ startApp: false });
  const token = randomBytes(24).toString('hex');

  test('When METRICS_TOKEN is set, then /metrics answers only with that bearer token', async () => {
    const app = await world.start({ PROCESS_ROLE: 'server', METRICS_TOKEN: token });
    const http = httpClient(app.url);
    for (const presented of [undefined, 'wrong-token-wrong-token', `${token}x`]) {
      const res = await http.get('/metrics', presented);
      expect(res.status).toBe(401);
      expect(String(res.body)).not.toContain('larder_');
    }
    const ok = await http.get('/metrics', token);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('larder_http_requests_total');
    await world.stop(app);
  });

  test('When METRICS_PORT is set, then the public port has no /metrics and the metrics port has it', async () => {
    const app = await world.start({ PROCESS_ROLE: 'server', METRICS_PORT: '0' });
    expect((await httpClient(app.url).get('/metrics')).status).toBe(404);
    const metrics = await httpClient(`http://127.0.0.1:${app.metricsPort}`).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('larder_http_requests_total');
    await world.stop(app);
  });

  test('When NODE_ENV is production with neither METRICS_TOKEN nor METRICS_PORT, then startup stops naming METRICS_TOKEN', async () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: token, PUBLIC_URL: 'https://larder.example' };
    await expect(world.start(production)).rejects.toThrow(/METRICS_TOKEN: set METRICS_TOKEN or METRICS_PORT in production/);
  });
});
