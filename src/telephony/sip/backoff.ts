/**
 * Exponential backoff with full jitter: attempt n (from 0) waits a uniformly random time in
 * [0, min(maxMs, baseMs × 2ⁿ)]. Full jitter spreads the reconnects of many agents after a proxy restart, so they
 * do not all hit it in the same instant (the "thundering herd").
 */
export function fullJitterDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
