/** Percentile of a list of numbers (nearest-rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function summarize(latenciesMs: number[], elapsedMs: number) {
  return {
    count: latenciesMs.length,
    perSecond: (latenciesMs.length / elapsedMs) * 1000,
    p50: percentile(latenciesMs, 50),
    p95: percentile(latenciesMs, 95),
    p99: percentile(latenciesMs, 99),
  };
}

/** Runs `task` from `concurrency` loops until `durationMs` passes; returns each call's latency in ms. */
export async function closedLoop(concurrency: number, durationMs: number, task: (worker: number, i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t = performance.now();
        try {
          await task(worker, i);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { latencies, errors, elapsedMs: performance.now() - started };
}

/** Fires `task` at a fixed arrival rate (open loop), so latency includes queueing like real traffic. */
export async function fixedRate(perSecond: number, durationMs: number, task: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const total = Math.round((perSecond * durationMs) / 1000);
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    inflight.push(
      task(i).then(
        () => void latencies.push(performance.now() - t),
        () => void errors++,
      ),
    );
  }
  await Promise.all(inflight);
  return { latencies, errors, elapsedMs: performance.now() - started };
}

export function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}
