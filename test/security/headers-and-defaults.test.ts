import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../server/platform/config.js';
import { httpClient } from '../support/http.js';
import { useWorld } from '../support/world.js';

describe('security headers', () => {
  const world = useWorld({ variables: { PROCESS_ROLE: 'server' } });

  test.each([
    ['a JSON answer', '/healthz', 200],
    ['a problem answer', '/api/v1/nowhere', 404],
    ['an authentication failure', '/api/v1/me', 401],
  ])('When %s goes out, then it carries nosniff, no framing, no referrer and a deny-all CSP', async (_what, path, status) => {
    const res = await world.http.get(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(res.headers.get('strict-transport-security')).toBeNull(); // PUBLIC_URL is plain http here
  });

  test('When /docs is loaded, then every script and style comes from this server under its own CSP', async () => {
    const res = await world.http.get('/docs');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|https?:)/);
    const html = res.body as string;
    const sources = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThanOrEqual(3);
    expect(html).not.toMatch(/<script>(?!<)/); // no inline script
    for (const source of sources) {
      expect(source).toMatch(/^\//);
      const asset = await world.http.get(source);
      expect(asset.status).toBe(200);
      expect(String(asset.body).length).toBeGreaterThan(50);
    }
    expect((await world.http.get('/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });
});

describe('defaults that production refuses', () => {
  const world = useWorld({ startApp: false });

  test('When PUBLIC_URL is https, then responses carry HSTS', async () => {
    const app = await world.start({ PROCESS_ROLE: 'server', PUBLIC_URL: 'https://larder.example' });
    const res = await httpClient(app.url).get('/healthz');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000; includeSubDomains/);
    await world.stop(app);
  });

  test('When NODE_ENV is production without an explicit PUBLIC_URL, then startup stops naming PUBLIC_URL', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: randomBytes(24).toString('hex'), METRICS_TOKEN: randomBytes(16).toString('hex') };
    expect(() => loadConfig(production)).toThrow(ConfigError);
    expect(() => loadConfig(production)).toThrow(/PUBLIC_URL: must be set in production/);
    expect(loadConfig({ ...production, PUBLIC_URL: 'https://larder.example' }).publicUrl).toBe('https://larder.example');
  });
});
