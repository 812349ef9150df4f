import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { importTransactionsCsv, MAVEN_ORDERS, putMavenMenu } from '../support/analytics.js';
import { eventually } from '../support/eventually.js';
import { emitAck, emitRaw, nextEvent } from '../support/sockets.js';
import type { TestApp } from '../support/test-env.js';
import { createUser, type TestUser } from '../support/users.js';
import { useWorld } from '../support/world.js';

type Result = {
  revenueCents: { p5: number; p50: number; p95: number };
  profitCents: { p5: number; p50: number; p95: number };
  baseline: { revenueCents: number; profitCents: number };
  items: Array<{
    item: string;
    category: string;
    baseline: { units: number; revenueCents: number; profitCents: number };
    simulated: { units: number; revenueCents: number; profitCents: number };
  }>;
};

describe('menu simulations', () => {
  const world = useWorld(); // runs the jobs (role all)
  let watcherInstance: TestApp;
  let merchant: TestUser;

  beforeAll(async () => {
    watcherInstance = await world.start({ PROCESS_ROLE: 'server' });
    merchant = await createUser(world.app, 'merchant');
    await putMavenMenu(world.app, merchant);
    await importTransactionsCsv(world.app, merchant, MAVEN_ORDERS);
  }, 60_000);

  const start = (body: Record<string, unknown>, user: TestUser = merchant) => world.http.post('/api/v1/analytics/simulations', body, user.token);
  const finished = async (id: string, user: TestUser = merchant) =>
    (
      await eventually(
        () => world.http.get(`/api/v1/analytics/simulations/${id}`, user.token),
        (res) => ['completed', 'failed', 'cancelled'].includes(res.body.status),
        30_000,
      )
    ).body;
  const run = async (body: Record<string, unknown>): Promise<Result> => {
    const res = await start(body);
    expect(res.status).toBe(202);
    const sim = await finished(res.body.id);
    expect(sim.status).toBe('completed');
    return sim.result;
  };
  const item = (result: Result, name: string) => result.items.find((i) => i.item === name)!;

  test('When nothing changes, then the median of the runs is within 1 % of the history and the baseline is the history as it happened', async () => {
    const result = await run({ runs: 2000, seed: 7 });
    expect(result.baseline.revenueCents).toBe(15_921_790);
    expect(Math.abs(result.baseline.profitCents - 0.7 * 15_921_790)).toBeLessThan(2);
    expect(Math.abs(result.revenueCents.p50 / result.baseline.revenueCents - 1)).toBeLessThan(0.01);
    expect(result.revenueCents.p5).toBeLessThan(result.revenueCents.p50);
    expect(result.revenueCents.p95).toBeGreaterThan(result.revenueCents.p50);
    expect(item(result, 'Hamburger').baseline).toEqual({ units: 622, revenueCents: 805_490, profitCents: 563_843 });
  });

  test('When the Hamburger costs 10 % more with elasticity −1, then fewer are sold for about the same revenue and more profit', async () => {
    const result = await run({ runs: 1000, seed: 7, changes: [{ item: 'Hamburger', priceChangePct: 10 }] });
    const burger = item(result, 'Hamburger');
    expect(burger.simulated.units).toBeLessThan(burger.baseline.units);
    expect(burger.simulated.units / burger.baseline.units).toBeCloseTo(1 / 1.1, 1);
    expect(Math.abs(burger.simulated.revenueCents / burger.baseline.revenueCents - 1)).toBeLessThan(0.05);
    expect(burger.simulated.profitCents).toBeGreaterThan(burger.baseline.profitCents);
  });

  test('When the Hamburger is removed, then half its units move to the other American dishes', async () => {
    const result = await run({ runs: 2000, seed: 11, changes: [{ item: 'Hamburger', remove: true }], substitution: 0.5 });
    const burger = item(result, 'Hamburger');
    expect(burger.simulated.units).toBe(0);
    const american = result.items.filter((i) => i.category === 'American' && i.item !== 'Hamburger');
    const gained = american.reduce((sum, i) => sum + i.simulated.units - i.baseline.units, 0);
    expect(gained / (0.5 * burger.baseline.units)).toBeCloseTo(1, 1);
    const asian = result.items.filter((i) => i.category === 'Asian');
    const asianDrift = asian.reduce((sum, i) => sum + i.simulated.units - i.baseline.units, 0);
    expect(Math.abs(asianDrift)).toBeLessThan(0.03 * asian.reduce((s, i) => s + i.baseline.units, 0)); // only resampling noise
  });

  test('When the same request runs twice with one seed, then the results are identical; another seed differs', async () => {
    const body = { runs: 500, seed: 12_345, changes: [{ item: 'Edamame', priceChangePct: -20, elasticity: -2 }] };
    const [a, b] = await Promise.all([run(body), run(body)]);
    expect(a).toEqual(b);
    const c = await run({ ...body, seed: 54_321 });
    expect(c.revenueCents).not.toEqual(a.revenueCents);
    const seeded = await start({ runs: 100 });
    expect((await finished(seeded.body.id)).seed).toEqual(expect.any(Number)); // a drawn seed is stored, so it can be replayed
  });

  test('When a watcher on another instance follows a simulation, then progress and the end arrive there', async () => {
    const socket = await world.connect(merchant, watcherInstance);
    const res = await start({ runs: 100_000, seed: 3 });
    const progress: number[] = [];
    socket.on('simulation:progress', (p) => {
      if (p.id === res.body.id) progress.push(p.runsDone);
    });
    const end = nextEvent(socket, 'simulation:finished', 30_000, (p) => p.id === res.body.id);
    const ack = await emitAck(socket, 'simulation:watch', { id: res.body.id });
    expect(ack.ok).toBe(true);
    expect(ack.data).toMatchObject({ id: res.body.id, runs: 100_000 });
    const done = await end;
    expect(done).toMatchObject({ status: 'completed', error: null });
    expect(done.result?.baseline.revenueCents).toBe(15_921_790);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[progress.length - 1]).toBe(100_000);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });

  test('When a simulation is cancelled, then it stops as cancelled, watchers are told, and a second cancel is refused', async () => {
    const socket = await world.connect(merchant, watcherInstance);
    const res = await start({ runs: 100_000, seed: 5 });
    const running = nextEvent(socket, 'simulation:progress', 10_000, (p) => p.id === res.body.id);
    await emitAck(socket, 'simulation:watch', { id: res.body.id });
    const end = nextEvent(socket, 'simulation:finished', 10_000, (p) => p.id === res.body.id);
    await running; // the job has claimed it: this cancels a running simulation, not a queued one
    const cancel = await world.http.delete(`/api/v1/analytics/simulations/${res.body.id}`, merchant.token);
    expect(cancel.status).toBe(202);
    expect(cancel.body.status).toBe('cancelled');
    expect(await end).toMatchObject({ status: 'cancelled', result: null });
    await new Promise((r) => setTimeout(r, 1500)); // room for a run that would wrongly complete
    expect((await finished(res.body.id)).result).toBeNull();
    expect((await world.http.delete(`/api/v1/analytics/simulations/${res.body.id}`, merchant.token)).status).toBe(409);
  });

  test('When a simulation fails, then it is stored as failed, counted with its reason and emitted for notifications', async () => {
    const failures: unknown[] = [];
    const unsubscribe = world.app.container.events.subscribe('simulation.failed', (e) => void failures.push(e));
    const other = await createUser(world.app, 'merchant'); // no transactions: the job finds no history
    const id = randomUUID();
    const em = world.app.container.orm.em.fork() as EntityManager;
    await em.execute(`insert into analytics_simulations (id, merchant_id, status, request, seed, runs) values (?, ?, 'queued', ?, 1, 100)`, [
      id,
      other.id,
      JSON.stringify({ runs: 100, changes: [], elasticity: -1, substitution: 0.5 }),
    ]);
    try {
      await world.app.container.modules.analytics.simulationJobs.execute(id);
      const sim = await finished(id, other);
      expect(sim).toMatchObject({ status: 'failed', error: 'The period has no sales any more', result: null });
      expect(failures).toEqual([expect.objectContaining({ simulationId: id, merchantId: other.id, reason: 'internal' })]);
      const counted = await world.app.container.metrics.analyticsFailures.get();
      expect(counted.values.find((v) => v.labels.kind === 'simulation' && v.labels.reason === 'internal')?.value).toBeGreaterThanOrEqual(1);
    } finally {
      unsubscribe();
    }
  });

  describe('refused requests', () => {
    test.each([
      [{ runs: 99 }, 'runs'],
      [{ runs: 100_001 }, 'runs'],
      [{ runs: 100, changes: [{ item: 'Unicorn Burger', priceChangePct: 5 }] }, 'changes.0.item'],
      [{ runs: 100, changes: [{ item: 'Hamburger', priceChangePct: 5, remove: true }] }, 'changes.0'],
      [{ runs: 100, changes: [{ item: 'Hamburger' }] }, 'changes.0'],
      [
        {
          runs: 100,
          changes: [
            { item: 'Hamburger', priceChangePct: 5 },
            { item: 'Hamburger', remove: true },
          ],
        },
        'changes.1.item',
      ],
      [{ runs: 100, from: '2024-01-01' }, 'from'],
      [{ runs: 100, from: '2023-03-01', to: '2023-02-01' }, 'to'],
      [{ runs: 100, substitution: 1.5 }, 'substitution'],
      [{ runs: 100, seed: -1 }, 'seed'],
      [{ runs: 100, budget: 1 }, 'budget'],
    ])('When the body is %j, then 422 names %s', async (body, field) => {
      const res = await start(body);
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    });

    test('When another merchant asks for, cancels or watches a simulation, then it is not found; customers may not start one', async () => {
      const res = await start({ runs: 100 });
      const intruder = await createUser(world.app, 'merchant');
      expect((await world.http.get(`/api/v1/analytics/simulations/${res.body.id}`, intruder.token)).status).toBe(404);
      expect((await world.http.delete(`/api/v1/analytics/simulations/${res.body.id}`, intruder.token)).status).toBe(404);
      const socket = await world.connect(intruder, watcherInstance);
      const watch = await emitAck(socket, 'simulation:watch', { id: res.body.id });
      expect(watch).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const hostile = await emitRaw(socket, 'simulation:watch', { id: "1' or 1=1 --" });
      expect(hostile).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      const customer = await createUser(world.app, 'customer');
      expect((await start({ runs: 100 }, customer)).status).toBe(403);
      await finished(res.body.id);
    });
  });
});
