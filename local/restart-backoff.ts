/**
 * When to restart a process that died: at once costs a crash loop its CPU, never costs the work
 * it was doing. The pause doubles with each death in a row, up to a ceiling, and a process that
 * ran for a while starts the count again.
 */
import { doublingDelayMs } from '#shared/time/doubling-delay.ts';

export interface RestartBackoff {
  /** Pause before the first restart. */
  readonly initialMs: number;
  readonly maxMs: number;
  /** A process that ran at least this long died on its own, not in a crash loop. */
  readonly stableAfterMs: number;
}

export const WORKERS_RESTART_BACKOFF: RestartBackoff = { initialMs: 500, maxMs: 30_000, stableAfterMs: 60_000 } as const;

/** `deathsInARow` counts this one (1 for the first). */
export function restartDelayMs(backoff: RestartBackoff, deathsInARow: number): number {
  return doublingDelayMs(backoff.initialMs, backoff.maxMs, deathsInARow);
}
