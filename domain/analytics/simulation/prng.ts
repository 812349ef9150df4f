/**
 * The random numbers of run `run` of a simulation seeded with `seed`: mulberry32 started from a
 * splitmix32 mix of both, so every run has its own stream and a result depends only on (seed, inputs),
 * never on how runs are split between threads or chunks.
 */
export function runRandom(seed: number, run: number): () => number {
  let state = splitmix32((seed ^ Math.imul(run + 1, 0x9e3779b9)) >>> 0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
