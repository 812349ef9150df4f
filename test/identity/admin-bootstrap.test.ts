import type { TestApp } from '../support/test-env.js';
import { httpClient, type HttpClient } from '../support/http.js';
import { useWorld } from '../support/world.js';
import { registerUser } from './support.js';

const world = useWorld({ startApp: false }); // each test starts its instances with its own ADMIN_* settings

const login = (http: HttpClient, email: string, password: string) => http.post('/api/v1/auth/token', { email, password });
const adminRows = async (app: TestApp, email: string) =>
  app.container.orm.em.fork().getConnection().execute<Array<{ role: string }>>('select role from users where email = ?', [email]);

describe('admin bootstrap from ADMIN_EMAIL / ADMIN_PASSWORD', () => {
  test('When instances start with ADMIN_EMAIL set, then exactly one admin account exists and signs in with ADMIN_PASSWORD', async () => {
    const admin = { ADMIN_EMAIL: 'Root@Larder.Example', ADMIN_PASSWORD: 'operator chosen secret' };
    // Two instances starting together race for the same upsert.
    const [a, b] = await Promise.all([world.start({ PROCESS_ROLE: 'server', ...admin }), world.start({ PROCESS_ROLE: 'server', ...admin })]);
    const http = httpClient(a.url);
    const res = await login(http, 'root@larder.example', 'operator chosen secret');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'root@larder.example', role: 'admin' });
    expect(await adminRows(a, 'root@larder.example')).toEqual([{ role: 'admin' }]);
    await world.stop(b);

    // A restart with the same settings leaves the account alone (existing sessions keep working).
    const c = await world.start({ PROCESS_ROLE: 'server', ...admin });
    expect((await httpClient(c.url).post('/api/v1/auth/refresh', { refreshToken: res.body.refreshToken })).status).toBe(200);
    await world.stop(c);
    await world.stop(a);
  });

  test('When someone registered the admin e-mail first, then it is promoted, its password replaced and its sessions revoked', async () => {
    const first = await world.start({ PROCESS_ROLE: 'server' });
    const squatter = await registerUser(httpClient(first.url), { email: 'boss@larder.example', password: 'squatter password' });
    expect(squatter.user).toMatchObject({ role: 'customer' });
    await world.stop(first);

    const app = await world.start({ PROCESS_ROLE: 'server', ADMIN_EMAIL: 'boss@larder.example', ADMIN_PASSWORD: 'the operator password' });
    const http = httpClient(app.url);
    expect((await login(http, 'boss@larder.example', 'squatter password')).status).toBe(401);
    expect((await http.post('/api/v1/auth/refresh', { refreshToken: squatter.refreshToken })).status).toBe(401);
    const res = await login(http, 'boss@larder.example', 'the operator password');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: squatter.user.id, role: 'admin' });
    await world.stop(app);
  });

  test('When nobody set ADMIN_EMAIL, then no admin account is created and nobody can register as admin', async () => {
    const app = await world.start({ PROCESS_ROLE: 'server' });
    const http = httpClient(app.url);
    const res = await http.post('/api/v1/auth/register', { email: 'wannabe@larder.example', password: 'a long enough password', name: 'W', role: 'admin' });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['role']);
    const rows = await app.container.orm.em
      .fork()
      .getConnection()
      .execute(`select count(*)::int as n from users where role = 'admin' and email not in ('root@larder.example', 'boss@larder.example')`);
    expect(rows[0].n).toBe(0);
    await world.stop(app);
  });
});
