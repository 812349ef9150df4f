import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-env.js';
import { httpClient } from './http.js';
import { createUser, type TestUser } from './users.js';

export interface TestLocality {
  slug: string;
  name: string;
  timeZone: string;
  orderCutoff: string;
  reminderAt: string;
}

const admins = new WeakMap<TestApp, Promise<TestUser>>();

/**
 * An admin of the app's database, made once per app (for the admin-only setup calls below), with a
 * token signed now by the app's clock (tests that move a ManualClock get one that is still valid).
 */
export async function adminOf(app: TestApp): Promise<TestUser> {
  let admin = admins.get(app);
  if (!admin) {
    admin = createUser(app, 'admin');
    admins.set(app, admin);
  }
  const { id, role, email } = await admin;
  return { id, role, email, token: (await app.container.modules.identity.tokens.sign(id, role)).token };
}

/** Creates a locality through the admin API (so its reminder schedule is made as in production). */
export async function createLocality(app: TestApp, fields: Partial<TestLocality> = {}): Promise<TestLocality> {
  const body = { slug: `loc-${randomUUID().slice(0, 8)}`, name: 'Test town', timeZone: 'UTC', orderCutoff: '11:30', reminderAt: '10:00', ...fields };
  const res = await httpClient(app.url).post('/api/v1/localities', body, (await adminOf(app)).token);
  if (res.status !== 201) throw new Error(`createLocality failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
