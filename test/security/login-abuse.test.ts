import { ManualClock } from '../../domain/shared/clock.js';
import { registerUser, uniqueEmail } from '../identity/support.js';
import { useWorld } from '../support/world.js';

const clock = new ManualClock();
// A server without a worker: queued jobs stay queued, so a test can see what a request left behind.
const world = useWorld({
  variables: { PROCESS_ROLE: 'server', TRUST_PROXY: 'true', OTP_PHONE_DAILY_LIMIT: '3', OTP_IP_DAILY_LIMIT: '5' },
  container: { clock },
});
const { http } = world;
let seq = 0;
const newIp = () => `192.0.2.${++seq}`;
const from = (ip: string) => ({ 'x-forwarded-for': ip });
const login = (email: string, password: string, ip: string) => http.post('/api/v1/auth/token', { email, password }, undefined, from(ip));

describe('locking the owner out of their account', () => {
  test('When a stranger makes 11 wrong attempts from their client, then they are refused but the owner signs in from theirs', async () => {
    const owner = await registerUser(http);
    const attacker = newIp();
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push((await login(owner.email, `guess number ${i}`, attacker)).status);
    expect(answers).toEqual([...Array(10).fill(401), 429]);
    expect((await login(owner.email, owner.password, attacker)).status).toBe(429); // the hard limit holds for that client
    expect((await login(owner.email, owner.password, newIp())).status).toBe(200);
  });

  test('When strangers on many clients hammer one account, then its answers slow down, nobody is locked, and the owner still gets in', async () => {
    const owner = await registerUser(http);
    const attempts = await Promise.all(Array.from({ length: 30 }, (_, i) => login(owner.email, `guess ${i}`, newIp())));
    expect(attempts.map((a) => a.status)).toEqual(Array(30).fill(401));
    const started = Date.now();
    const ownerLogin = await login(owner.email, owner.password, newIp());
    expect(ownerLogin.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000); // 31 attempts: 11 past the ceiling of 20, 100 ms each
  }, 60_000);
});

describe('telling which e-mails have accounts', () => {
  test('When forgot-password is asked for a known and an unknown e-mail, then both queue the same job and answer before any look-up', async () => {
    const known = await registerUser(http);
    const unknown = uniqueEmail('nobody');
    const a = await http.post('/api/v1/auth/password/forgot', { email: known.email });
    const b = await http.post('/api/v1/auth/password/forgot', { email: unknown });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body).toEqual(b.body);
    const db = world.app.container.orm.em.fork().getConnection();
    const queued = await db.execute<Array<{ email: string }>>(`select data->>'email' as email from agenda_jobs where name = 'identity.mail-reset-link'`);
    expect(queued.map((j) => j.email).sort()).toEqual([known.email, unknown].sort());
    const [tokens] = await db.execute(`select count(*)::int as n from password_reset_tokens where user_id = ?`, [known.user.id]);
    expect(tokens.n).toBe(0); // nothing was looked up or written for the known account inside the request
  });
});

describe('SMS code flooding', () => {
  const codeFor = (phone: string, ip: string) => http.post('/api/v1/auth/otp/request', { phone }, undefined, from(ip));

  test('When one phone is sent codes all day, then past its daily cap the request is 429 and no SMS goes out', async () => {
    const phone = '+447700900001';
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await codeFor(phone, newIp())).status);
      clock.advance(31_000); // past the 30 s resend window each time
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect((await codeFor('+447700900002', newIp())).status).toBe(202);
  });

  test('When one IP asks codes for many phones in a day, then past its daily cap it is 429', async () => {
    const ip = newIp();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await codeFor(`+44770091${String(i).padStart(4, '0')}`, ip)).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });
});
