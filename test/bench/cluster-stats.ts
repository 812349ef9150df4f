import { fmt } from './stats.js';

/** The summed CPU (% of one core) of the server instances in a cpuMeters reading (`server` or `server1`…`serverN`). */
export function serverCpu(used: Record<string, number>): number {
  return Object.entries(used)
    .filter(([name]) => /^server\d*$/.test(name))
    .reduce((sum, [, pct]) => sum + pct, 0);
}

/** How many of `items` each of `n` instances handled, from the instance index of each item. */
export function perInstance(n: number, instanceOfItem: ArrayLike<number>): number[] {
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < instanceOfItem.length; i++) counts[instanceOfItem[i]]++;
  return counts;
}

/**
 * Each instance's CPU and its CPU per item it handled (a delivery, a cart change), then the summed
 * CPU per item: "server1 41% · 83 µs/delivery, …; all instances 88 µs/delivery".
 */
export function instanceCpuText(used: Record<string, number>, counts: number[], windowMs: number, item: string): string {
  const seconds = windowMs / 1000;
  const perItem = (pct: number, count: number) => (count === 0 ? NaN : ((pct / 100) * seconds * 1e6) / count);
  const each = counts.map((count, i) => {
    const pct = used[`server${i + 1}`];
    return `server${i + 1} ${fmt(pct)}% · ${fmt(count / seconds)}/s · ${fmt(perItem(pct, count), 0)} µs/${item}`;
  });
  const total = counts.reduce((a, b) => a + b, 0);
  return `per instance: ${each.join(', ')}; all instances ${fmt(perItem(serverCpu(used), total), 0)} µs/${item}`;
}
