/**
 * CloudWatch metrics as Embedded Metric Format log lines (Powertools). Most events counted here
 * are rare (failures, fallbacks), so each is flushed at once instead of per invocation; for the
 * same reason the Powertools Metrics is loaded and built at the first count, not in every cold start.
 * A process that answers every callback itself (`npm start`) sums its counts instead
 * (`sumCountsEvery`): a blocked or flagged message is counted too, and a line per message cost
 * its event loop a synchronous write and ~7 µs of Powertools' serialising each time.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { powertoolsIdentity, powertoolsMetrics } from './powertools.ts';

export const METRIC_NAMES = {
  beforeFallbackReply: 'BeforeFallbackReply',
  unknownCommand: 'UnknownCallbackCommand',
  afterEventInvalid: 'AfterEventInvalid',
  afterEventPublishFailed: 'AfterEventPublishFailed',
  /** An event the local journal could not take (disk full, permission): it was published directly instead. */
  eventJournalFailed: 'EventJournalFailed',
  /** Journaled events a forwarding attempt could not publish (the topic unreachable): retried with backoff. */
  eventJournalForwardFailed: 'EventJournalForwardFailed',
  /** Bytes of the local journal dropped on reading: never acknowledged (a torn last line) or failing their checksum. */
  eventJournalDropped: 'EventJournalDropped',
  moderationDecision: 'ModerationDecision',
  /** A new moderation policy version came into force (its version and dropped terms are in the log line). */
  moderationPolicyApplied: 'ModerationPolicyApplied',
  /** One stored policy term that cannot be compiled was left out of the policy in force. */
  moderationPolicyTermDropped: 'ModerationPolicyTermDropped',
  /** The newest stored policy version cannot be read or compiled at all; the previous one stays in force. */
  moderationPolicyUnreadable: 'ModerationPolicyUnreadable',
  /** A read of the policy store failed (unreachable, timed out, throttled); the policy in force stays, and the read is retried with backoff. */
  moderationPolicyStoreUnreachable: 'ModerationPolicyStoreUnreachable',
  /** A before-decision past its budget: `abandoned` (answered with the fallback) or `late` (synchronous work the timer could not stop). */
  beforeBudgetOverrun: 'BeforeBudgetOverrun',
  /** Push jobs still being published when beforeOfflinePush had to answer: taken over, so at most once. */
  pushJobsPublishUnknown: 'PushJobsPublishUnknown',
} as const;
export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

let metrics: Metrics | undefined;
const built = () => (metrics ??= new (powertoolsMetrics().Metrics)(powertoolsIdentity()));

/** Counts an event: a line at once, or added to this interval's sum while `sumCountsEvery` is on. */
export function countEvent(name: MetricName, dimensions: Record<string, string> = {}, count = 1): void {
  if (sums) sums.add(name, dimensions, count);
  else emit(name, dimensions, count);
}

/**
 * Writes one metric line. The calls are synchronous, so the dimensions added here belong to this
 * metric alone (publishing clears them); one shared instance avoids building a Metrics per event.
 */
function emit(name: MetricName, dimensions: Record<string, string>, count: number): void {
  const emf = built();
  for (const [key, value] of Object.entries(dimensions)) emf.addDimension(key, value);
  emf.addMetric(name, powertoolsMetrics().MetricUnit.Count, count);
  emf.publishStoredMetrics();
}

interface Sum {
  readonly name: MetricName;
  readonly dimensions: Record<string, string>;
  count: number;
}

/** Counts of one interval, a line per metric and set of dimensions when written. */
class CountSums {
  private pending = new Map<string, Sum>();

  add(name: MetricName, dimensions: Record<string, string>, count: number): void {
    const key = `${name}\u0000${JSON.stringify(dimensions)}`;
    const sum = this.pending.get(key);
    if (sum) sum.count += count;
    else this.pending.set(key, { name, dimensions: { ...dimensions }, count });
  }

  write(): void {
    const written = this.pending;
    this.pending = new Map();
    for (const { name, dimensions, count } of written.values()) emit(name, dimensions, count);
  }
}

let sums: CountSums | undefined;

export interface SummedCounts {
  /** Writes what was counted so far and goes back to a line per count. */
  stop(): void;
}

/**
 * From now on, sums the counts of each metric and set of dimensions and writes them every
 * `intervalMs` (one line each, its value the sum), and once more at `stop()`. A process killed
 * outright loses the counts of its last interval: the events themselves are in the journal, the
 * log and the stores.
 */
export function sumCountsEvery(intervalMs: number): SummedCounts {
  if (sums) throw new Error('metric counts are being summed already');
  const current = new CountSums();
  sums = current;
  const timer = setInterval(() => current.write(), intervalMs).unref();
  return {
    stop: () => {
      clearInterval(timer);
      sums = undefined;
      current.write();
    },
  };
}

/** Whether the first count has been emitted (the Metrics built): what the cold-start tests check. */
export function metricsBuilt(): boolean {
  return metrics !== undefined;
}
