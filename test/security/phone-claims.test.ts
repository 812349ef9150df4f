import { ManualClock } from '../../domain/shared/clock.js';
import { readJsonLines, registerUser } from '../identity/support.js';
import { useWorld } from '../support/world.js';

const clock = new ManualClock();
const world = useWorld({ variables: { PROCESS_ROLE: 'server', TRUST_PROXY: 'true' }, container: { clock } });
const { http } = world;
let seq = 0;
const newIp = () => `203.0.113.${++seq}`;
const newPhone = () => `+4477008${String(++seq).padStart(5, '0')}`;
const from = (ip: string) => ({ 'x-forwarded-for': ip });

async function lastCode(phone: string): Promise<string> {
  const sms = (await readJsonLines<{ to: string; text: string }>(world.env.smsOutboxFile)).filter((m) => m.to === phone).at(-1);
  if (!sms) throw new Error(`no SMS to ${phone}`);
  return /\b(\d{6})\b/.exec(sms.text)![1];
}

/** The phone's real owner signs in by SMS code (moving the clock past the resend window first). */
async function otpLogin(phone: string) {
  clock.advance(31_000);
  const ip = newIp();
  expect((await http.post('/api/v1/auth/otp/request', { phone }, undefined, from(ip))).status).toBe(202);
  return http.post('/api/v1/auth/otp/verify', { phone, code: await lastCode(phone) }, undefined, from(ip));
}

describe('claiming a phone number without proof', () => {
  test('When an attacker registers with the victim’s number, then the victim’s OTP login lands in a new account of their own', async () => {
    const phone = newPhone();
    const attacker = await registerUser(http, { phone });
    const victim = await otpLogin(phone);
    expect(victim.status).toBe(200);
    expect(victim.body.user.id).not.toBe(attacker.user.id);
    expect(victim.body.user).toMatchObject({ phone, phoneVerified: true, role: 'customer' });
    expect((await http.get('/api/v1/me', attacker.accessToken)).body).toMatchObject({ phone, phoneVerified: false });
  });

  test('When an attacker PATCHes /me to the victim’s verified number, then the answer looks ordinary and the victim still signs into their own account', async () => {
    const phone = newPhone();
    const first = await otpLogin(phone);
    const attacker = await registerUser(http);
    const claim = await http.patch('/api/v1/me', { phone }, attacker.accessToken);
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({ phone, phoneVerified: false });
    const again = await otpLogin(phone);
    expect(again.body.user.id).toBe(first.body.user.id);
  });

  test('When a user confirms their number with the code sent to it, then /me shows it verified and OTP login signs into that account', async () => {
    const phone = newPhone();
    const ip = newIp();
    const u = await registerUser(http);
    expect(await http.post('/api/v1/me/phone', { phone }, u.accessToken, from(ip))).toMatchObject({ status: 202, body: { expiresIn: 300 } });
    expect((await http.get('/api/v1/me', u.accessToken)).body).toMatchObject({ phone, phoneVerified: false });
    const confirmed = await http.post('/api/v1/me/phone/verify', { code: await lastCode(phone) }, u.accessToken, from(ip));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ id: u.user.id, phone, phoneVerified: true });
    expect((await otpLogin(phone)).body.user.id).toBe(u.user.id);
  });

  test('When the confirmation code is wrong, then 422 names code and the phone stays pending', async () => {
    const phone = newPhone();
    const u = await registerUser(http);
    await http.post('/api/v1/me/phone', { phone }, u.accessToken, from(newIp()));
    const code = await lastCode(phone);
    const res = await http.post('/api/v1/me/phone/verify', { code: String((Number(code) + 1) % 1_000_000).padStart(6, '0') }, u.accessToken, from(newIp()));
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['code']);
    expect((await http.get('/api/v1/me', u.accessToken)).body.phoneVerified).toBe(false);
  });

  test('When the holder of a number confirmed on another account confirms it, then 409 names phone and nothing moves', async () => {
    const phone = newPhone();
    const owner = await otpLogin(phone);
    clock.advance(31_000);
    const second = await registerUser(http);
    await http.post('/api/v1/me/phone', { phone }, second.accessToken, from(newIp()));
    const res = await http.post('/api/v1/me/phone/verify', { code: await lastCode(phone) }, second.accessToken, from(newIp()));
    expect(res.status).toBe(409);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['phone']);
    expect((await otpLogin(phone)).body.user.id).toBe(owner.body.user.id);
  });

  test('When phone changes are hammered, then the 6th in an hour is 429', async () => {
    const u = await registerUser(http);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await http.patch('/api/v1/me', { phone: newPhone() }, u.accessToken)).status);
    expect(answers).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await http.patch('/api/v1/me', { name: 'Still editable' }, u.accessToken)).status).toBe(200);
  });
});
