/**
 * What one push job did, per provider, as CloudWatch metrics (Embedded Metric Format through
 * Powertools, one set of log lines per provider at the end of the job): counts of sent, refused,
 * invalid tokens removed, retries, unknown outcomes and devices left for the next run, and every
 * send's provider latency and end-to-end delay (callback to provider's answer) as values, from
 * which CloudWatch computes p50/p99. The alarms and widgets are in infra/stacks/observability-stack.ts.
 */
import { powertoolsIdentity, powertoolsMetrics } from '../observability/powertools.ts';

export const PUSH_METRICS = {
  sent: 'PushSent',
  refused: 'PushRefused',
  invalidTokensRemoved: 'PushInvalidTokensRemoved',
  retries: 'PushRetries',
  unknownOutcomes: 'PushUnknownOutcomes',
  /** Surely not taken after every attempt: the job comes back for these devices. */
  failed: 'PushFailed',
  providerLatency: 'PushProviderLatency',
  endToEndDelay: 'PushEndToEndDelay',
} as const;

type Count = 'sent' | 'refused' | 'invalidTokensRemoved' | 'retries' | 'unknownOutcomes' | 'failed';

interface ProviderTally {
  counts: Record<Count, number>;
  latencyMs: number[];
  endToEndMs: number[];
}

export class PushMetrics {
  private readonly byProvider = new Map<string, ProviderTally>();

  count(provider: string, what: Count, n = 1): void {
    this.tally(provider).counts[what] += n;
  }

  latency(provider: string, latencyMs: number): void {
    this.tally(provider).latencyMs.push(latencyMs);
  }

  endToEnd(provider: string, delayMs: number): void {
    this.tally(provider).endToEndMs.push(delayMs);
  }

  /** The counts per provider, for the job's log line. */
  summary(): Record<string, Record<Count, number>> {
    return Object.fromEntries([...this.byProvider].map(([provider, tally]) => [provider, { ...tally.counts }]));
  }

  publish(): void {
    const { Metrics, MetricUnit } = powertoolsMetrics();
    for (const [provider, tally] of this.byProvider) {
      const metrics = new Metrics({ ...powertoolsIdentity(), defaultDimensions: { provider } });
      for (const [what, n] of Object.entries(tally.counts) as [Count, number][]) metrics.addMetric(PUSH_METRICS[what], MetricUnit.Count, n);
      // Powertools flushes a line every 100 values of one metric, so a job of any size fits.
      for (const value of tally.latencyMs) metrics.addMetric(PUSH_METRICS.providerLatency, MetricUnit.Milliseconds, value);
      for (const value of tally.endToEndMs) metrics.addMetric(PUSH_METRICS.endToEndDelay, MetricUnit.Milliseconds, value);
      // Values fill lines of 100 and each full line is flushed: a job of 500 can leave nothing to publish.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  }

  private tally(provider: string): ProviderTally {
    let tally = this.byProvider.get(provider);
    if (!tally) {
      tally = { counts: { sent: 0, refused: 0, invalidTokensRemoved: 0, retries: 0, unknownOutcomes: 0, failed: 0 }, latencyMs: [], endToEndMs: [] };
      this.byProvider.set(provider, tally);
    }
    return tally;
  }
}
