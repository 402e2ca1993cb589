/**
 * Fully jittered exponential backoff, the pause the AWS SDK's standard retry mode takes between
 * attempts: a random pause up to `baseDelayMs` doubled per attempt, at most `maxDelayMs`.
 */
import { doublingDelayMs } from '../time/doubling-delay.ts';

export const jitteredBackoff =
  (baseDelayMs: number, maxDelayMs: number) =>
  (attempt: number): number =>
    Math.random() * doublingDelayMs(baseDelayMs, maxDelayMs, attempt);
