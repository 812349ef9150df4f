import { hash as argon2Hash, argon2id } from 'argon2';
import type { TestApp } from '../support/test-env.js';
import { httpClient } from '../support/http.js';
import { useWorld } from '../support/world.js';
import { registerUser, uniqueEmail } from './support.js';

const world = useWorld({ variables: { PROCESS_ROLE: 'server' } });
const { http } = world;
const login = (email: string, password: string, client = http, headers?: Record<string, string>) =>
  client.post('/api/v1/auth/token', { email, password }, undefined, headers);
const hashesDone = (a: TestApp = world.app) => a.container.modules.identity.hasher.stats().completed;

describe('login with e-mail and password', () => {
  test('When the credentials are right, then the answer is 200 with a token pair and the user', async () => {
    const u = await registerUser(http);
    const res = await login(u.email.toUpperCase(), u.password);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 300,
      user: expect.objectContaining({ id: u.user.id, email: u.email }),
    });
    expect((await http.get('/api/v1/me', res.body.accessToken)).body.id).toBe(u.user.id);
  });

  test('When the password is wrong, then the answer is 401 INVALID_CREDENTIALS', async () => {
    const u = await registerUser(http);
    const res = await login(u.email, 'not the password');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('INVALID_CREDENTIALS');
  });

  test('When the e-mail is unknown, then the answer is the same 401 and a full hash is still computed', async () => {
    const u = await registerUser(http);
    const wrongPassword = await login(u.email, 'not the password');
    const before = hashesDone();
    const unknown = await login(uniqueEmail('nobody'), 'not the password');
    expect(hashesDone()).toBe(before + 1);
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe(wrongPassword.body.code);
    expect(unknown.body.detail).toBe(wrongPassword.body.detail);
  });

  test('When a required field is missing or unknown fields are sent, then the answer is 422 naming them', async () => {
    const missing = await http.post('/api/v1/auth/token', { email: uniqueEmail() });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(['password']);
    const extra = await http.post('/api/v1/auth/token', { email: uniqueEmail(), password: 'whatever you like', role: 'admin' });
    expect(extra.status).toBe(422);
    expect(extra.body.errors.map((e: { path: string }) => e.path)).toEqual(['role']);
  });

  test('When the stored hash has weaker parameters, then a successful login upgrades it', async () => {
    const email = uniqueEmail('legacy');
    const weak = await argon2Hash('legacy password 1', { type: argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    const em = world.app.container.orm.em.fork();
    await em
      .getConnection()
      .execute(`insert into users (id, email, password_hash, name, role) values (gen_random_uuid(), ?, ?, 'Legacy', 'customer')`, [email, weak]);
    expect((await login(email, 'legacy password 1')).status).toBe(200);
    const [row] = await em.getConnection().execute('select password_hash from users where email = ?', [email]);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect((await login(email, 'legacy password 1')).status).toBe(200);
  });
});

describe('login rate limit per account', () => {
  test('When an account has 10 attempts in 5 minutes, then the 11th is 429 with Retry-After, even with the right password, and costs no hash', async () => {
    const u = await registerUser(http);
    for (let i = 0; i < 10; i++) expect((await login(u.email, `wrong password ${i}`)).status).toBe(401);
    const before = hashesDone();
    const res = await login(u.email, u.password);
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300);
    expect(res.body.retryAfter).toBe(retryAfter);
    expect(hashesDone()).toBe(before);

    const other = await registerUser(http);
    expect((await login(other.email, other.password)).status).toBe(200);
  });

  test('When a login succeeds, then the account counter starts again', async () => {
    const u = await registerUser(http);
    for (let i = 0; i < 9; i++) expect((await login(u.email, 'wrong password!')).status).toBe(401);
    expect((await login(u.email, u.password)).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await login(u.email, 'wrong password!')).status).toBe(401);
    expect((await login(u.email, u.password)).status).toBe(200);
  });
});

describe('login rate limit per IP', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await world.start({ PROCESS_ROLE: 'server', AUTH_IP_LIMIT_PER_5MIN: '3', REDIS_PREFIX: `${world.env.redisPrefix}ip-limit:` });
  });

  test('When one IP exceeds AUTH_IP_LIMIT_PER_5MIN logins across accounts, then it gets 429 without hashing', async () => {
    const client = httpClient(limited.url);
    for (let i = 0; i < 3; i++) expect((await login(uniqueEmail('spray'), 'some password', client)).status).toBe(401);
    const before = hashesDone(limited);
    const res = await login(uniqueEmail('spray'), 'some password', client);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(hashesDone(limited)).toBe(before);
  });

  test('When TRUST_PROXY is off, then X-Forwarded-For cannot dodge the per-IP limit', async () => {
    const res = await login(uniqueEmail('spoof'), 'some password', httpClient(limited.url), { 'x-forwarded-for': '203.0.113.9' });
    expect(res.status).toBe(429);
  });

  test('When TRUST_PROXY is on, then each forwarded client IP has its own budget', async () => {
    const proxied = await world.start({
      PROCESS_ROLE: 'server',
      AUTH_IP_LIMIT_PER_5MIN: '2',
      TRUST_PROXY: 'true',
      REDIS_PREFIX: `${world.env.redisPrefix}proxied:`,
    });
    const client = httpClient(proxied.url);
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    for (let i = 0; i < 2; i++) expect((await login(uniqueEmail(), 'some password', client, from('198.51.100.1'))).status).toBe(401);
    expect((await login(uniqueEmail(), 'some password', client, from('198.51.100.1'))).status).toBe(429);
    expect((await login(uniqueEmail(), 'some password', client, from('198.51.100.2'))).status).toBe(401);
  });
});
