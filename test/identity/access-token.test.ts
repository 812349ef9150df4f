import { SignJWT } from 'jose';
import { ManualClock } from '../../domain/shared/clock.js';
import { useWorld } from '../support/world.js';
import { registerUser } from './support.js';

const clock = new ManualClock();
const { http } = useWorld({ variables: { PROCESS_ROLE: 'server' }, container: { clock } });
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function expectUnauthenticated(res: { status: number; body: any }) {
  expect(res.status).toBe(401);
  expect(res.body.code).toBe('UNAUTHENTICATED');
}

describe('access tokens on /me', () => {
  test('When no token is sent, then 401 UNAUTHENTICATED', async () => {
    expectUnauthenticated(await http.get('/api/v1/me'));
  });

  test('When the token is signed with another secret, then 401', async () => {
    const u = await registerUser(http);
    const now = Math.floor(clock.now().getTime() / 1000);
    const forged = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(u.user.id)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode('an-attacker-secret-that-is-long-enough-000'));
    expectUnauthenticated(await http.get('/api/v1/me', forged));
  });

  test("When a valid token's payload is edited (role: admin), then the signature no longer matches: 401", async () => {
    const u = await registerUser(http);
    const [header, payload, signature] = u.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = [header, b64({ ...claims, role: 'admin' }), signature].join('.');
    expectUnauthenticated(await http.get('/api/v1/me', tampered));
  });

  test('When a token was accepted once, then an edited copy of it is still refused and the original still accepted', async () => {
    const u = await registerUser(http);
    expect((await http.get('/api/v1/me', u.accessToken)).status).toBe(200);
    const [header, payload, signature] = u.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expectUnauthenticated(await http.get('/api/v1/me', [header, b64({ ...claims, role: 'admin' }), signature].join('.')));
    expectUnauthenticated(await http.get('/api/v1/me', `${u.accessToken}x`));
    const me = await http.get('/api/v1/me', u.accessToken);
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('customer');
  });

  test('When the token says alg none and has no signature, then 401', async () => {
    const u = await registerUser(http);
    const now = Math.floor(clock.now().getTime() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: u.user.id, role: 'customer', iat: now, exp: now + 300 })}.`;
    expectUnauthenticated(await http.get('/api/v1/me', unsigned));
  });

  test('When the token is past its 5 minutes, then 401, while a fresh one still works', async () => {
    const u = await registerUser(http);
    expect((await http.get('/api/v1/me', u.accessToken)).status).toBe(200);
    clock.advance(301_000);
    const res = await http.get('/api/v1/me', u.accessToken);
    expectUnauthenticated(res);
    expect(res.body.detail).toMatch(/expired/i);
    const fresh = await http.post('/api/v1/auth/token', { email: u.email, password: u.password });
    expect((await http.get('/api/v1/me', fresh.body.accessToken)).status).toBe(200);
  });

  test('When the Authorization header is not a bearer token, then 401', async () => {
    expectUnauthenticated(await http.get('/api/v1/me', undefined, { authorization: 'Basic dXNlcjpwYXNz' }));
    expectUnauthenticated(await http.get('/api/v1/me', 'not.a.jwt'));
  });
});
