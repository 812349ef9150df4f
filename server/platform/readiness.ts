import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';

export type CheckName = 'postgres' | 'redis' | 'scheduler';
export interface Readiness {
  ready: boolean;
  checks: Record<CheckName, { ok: boolean; ms: number; error?: string }>;
}

const TIMEOUT_MS = 1_500;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Probes every backing store in parallel; each answers within a bounded time. */
export async function checkReadiness(deps: { orm: MikroORM; redis: Redis; scheduler: { ping(): Promise<void> } }): Promise<Readiness> {
  const probes: Record<CheckName, () => Promise<unknown>> = {
    postgres: () => deps.orm.em.getConnection().execute('select 1'),
    redis: () => deps.redis.ping(),
    scheduler: () => deps.scheduler.ping(),
  };
  const entries = await Promise.all(
    (Object.keys(probes) as CheckName[]).map(async (name) => {
      const started = Date.now();
      try {
        await withTimeout(probes[name](), TIMEOUT_MS);
        return [name, { ok: true, ms: Date.now() - started }] as const;
      } catch (err) {
        return [name, { ok: false, ms: Date.now() - started, error: (err as Error).message }] as const;
      }
    }),
  );
  const checks = Object.fromEntries(entries) as Readiness['checks'];
  return { ready: entries.every(([, c]) => c.ok), checks };
}
