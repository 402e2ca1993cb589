/**
 * The Powertools Logger and Metrics are built at the first line or count, not when a handler is
 * imported: the callbacks log and count only on their rare paths, and a cold start should not pay
 * for them (docs/benchmarks.md "Cold starts").
 */
import { describe, expect, it, vi } from 'vitest';

/** Fresh copies of the modules, as a cold start has them. */
async function freshObservability() {
  vi.resetModules();
  return { ...(await import('#shared/observability/logger.ts')), ...(await import('#shared/observability/metrics.ts')) };
}

describe('Module: observability (cold start)', () => {
  it('builds the logger at the first line logged, and it logs as Powertools does', async () => {
    // Prepare
    const { logger, loggerBuilt } = await freshObservability();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const builtAtImport = loggerBuilt();

    // Act
    logger.info('first line', { marker: 'lazy-logger' });

    // Assess
    expect(builtAtImport).toBe(false);
    expect(loggerBuilt()).toBe(true);
    const line = JSON.parse(String(log.mock.calls.at(-1)?.[1])) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'INFO', message: 'first line', marker: 'lazy-logger', service: expect.any(String) });
    log.mockRestore();
  });

  it('builds the metrics at the first count, which it emits as EMF', async () => {
    // Prepare
    const { countEvent, metricsBuilt, METRIC_NAMES } = await freshObservability();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const builtAtImport = metricsBuilt();

    // Act
    countEvent(METRIC_NAMES.unknownCommand, { command: 'lazy-metrics' });

    // Assess
    expect(builtAtImport).toBe(false);
    expect(metricsBuilt()).toBe(true);
    const line = JSON.parse(String(log.mock.calls.at(-1)?.[1])) as Record<string, unknown>;
    expect(line).toMatchObject({ command: 'lazy-metrics', [METRIC_NAMES.unknownCommand]: 1, _aws: expect.any(Object) });
    log.mockRestore();
  });
});
