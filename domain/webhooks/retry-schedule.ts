/** Waits after attempt 1, 2, … 9 failed: about 5 s, 30 s, 2 min, 10 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
/** Attempts before an endpoint that keeps failing is disabled. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
const JITTER = 0.2;

/**
 * When to try again after attempt `attempt` failed (null: that was the last one). ±20 % jitter, so
 * deliveries that failed together (a receiver that was down) do not all come back at the same instant.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number | null {
  const base = RETRY_DELAYS_MS[attempt - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}
