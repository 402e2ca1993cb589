import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '#shared/observability/logger.ts';
import { countEvent, METRIC_NAMES } from '#shared/observability/metrics.ts';

describe('Test setup: output through the console', () => {
  afterEach(() => vi.restoreAllMocks());

  it("hands the logger's JSON lines to the console vitest captures, errors to console.error", () => {
    // Prepare
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    // Act
    logger.info('routed info line', { marker: 'info-1' });
    logger.error('routed error line', { marker: 'error-1' });

    // Assess
    const printed = (spy: typeof log) => spy.mock.calls.map(([, text]) => JSON.parse(String(text)) as Record<string, unknown>);
    expect(printed(log)).toContainEqual(expect.objectContaining({ message: 'routed info line', marker: 'info-1' }));
    expect(printed(error)).toContainEqual(expect.objectContaining({ message: 'routed error line', marker: 'error-1' }));
  });

  it('hands metric lines to the console too', () => {
    // Prepare
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

    // Act
    countEvent(METRIC_NAMES.unknownCommand, { command: 'routed-metric' });

    // Assess
    expect(log.mock.calls.map(([, text]) => String(text)).join('\n')).toContain('"command":"routed-metric"');
  });

  it("prints a line holding '%' as written", () => {
    // Prepare
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

    // Act
    process.stdout.write('100%s done %d\n');

    // Assess
    expect(log).toHaveBeenCalledWith('%s', '100%s done %d');
  });
});
