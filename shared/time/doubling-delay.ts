/**
 * The pause after the `failuresInARow`-th failure in a row (1 for the first): `firstMs`, doubled with
 * each further failure, at most `maxMs`. Every retry here backs off this way; the AWS calls take a
 * random share of it (jittered-backoff.ts).
 */
export function doublingDelayMs(firstMs: number, maxMs: number, failuresInARow: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, failuresInARow - 1));
}
