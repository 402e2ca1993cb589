/**
 * Fully jittered exponential backoff, the pause the AWS SDK's standard retry mode takes between
 * attempts: a random pause up to `baseDelayMs` doubled per attempt, at most `maxDelayMs`.
 */
export const jitteredBackoff =
  (baseDelayMs: number, maxDelayMs: number) =>
  (attempt: number): number =>
    Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
