/**
 * Counts summed per interval (`sumCountsEvery`, what `npm start` uses): a line per metric and set
 * of dimensions, its value the sum, at each interval and at the stop; a line per count otherwise.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countEvent, METRIC_NAMES, sumCountsEvery, type SummedCounts } from '#shared/observability/metrics.ts';

type EmfLine = Record<string, unknown> & { _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] } };

describe('Module: metric counts summed per interval', () => {
  let lines: EmfLine[];
  let summed: SummedCounts | undefined;

  beforeEach(() => {
    vi.useFakeTimers();
    lines = [];
    vi.spyOn(console, 'log').mockImplementation((_format: unknown, text: unknown) => void lines.push(JSON.parse(String(text)) as EmfLine));
  });

  afterEach(() => {
    summed?.stop();
    summed = undefined;
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('writes one line per metric and dimensions each interval, its value the sum', () => {
    // Prepare
    summed = sumCountsEvery(1_000);

    // Act
    for (let i = 0; i < 40; i++) countEvent(METRIC_NAMES.moderationDecision, { decision: 'blocked' });
    countEvent(METRIC_NAMES.moderationDecision, { decision: 'flagged' }, 3);
    countEvent(METRIC_NAMES.eventJournalDropped, {}, 120);
    const beforeTheInterval = lines.length;
    vi.advanceTimersByTime(1_000);

    // Assess
    expect(beforeTheInterval).toBe(0);
    expect(lines).toHaveLength(3);
    expect(lines).toContainEqual(expect.objectContaining({ decision: 'blocked', ModerationDecision: 40 }));
    expect(lines).toContainEqual(expect.objectContaining({ decision: 'flagged', ModerationDecision: 3 }));
    expect(lines).toContainEqual(expect.objectContaining({ EventJournalDropped: 120 }));
    const blocked = lines.find((line) => line.decision === 'blocked')!;
    // The dimensions of one line are its own: none of the other lines' leaks into it.
    expect(blocked._aws.CloudWatchMetrics[0]!.Dimensions.flat()).not.toContain('eventType');
    expect(blocked._aws.CloudWatchMetrics[0]!.Metrics.map(({ Name }) => Name)).toEqual(['ModerationDecision']);
  });

  it('starts each interval from zero, and writes nothing for an interval without counts', () => {
    // Prepare
    summed = sumCountsEvery(1_000);
    countEvent(METRIC_NAMES.moderationDecision, { decision: 'blocked' });
    vi.advanceTimersByTime(1_000);

    // Act
    vi.advanceTimersByTime(1_000);
    countEvent(METRIC_NAMES.moderationDecision, { decision: 'blocked' }, 2);
    vi.advanceTimersByTime(1_000);

    // Assess
    expect(lines.map((line) => line.ModerationDecision)).toEqual([1, 2]);
  });

  it('writes what was counted at the stop, then a line per count again', () => {
    // Prepare
    summed = sumCountsEvery(60_000);
    countEvent(METRIC_NAMES.moderationDecision, { decision: 'masked' });
    countEvent(METRIC_NAMES.moderationDecision, { decision: 'masked' });

    // Act
    summed.stop();
    summed = undefined;
    const atStop = lines.length;
    countEvent(METRIC_NAMES.unknownCommand);

    // Assess
    expect(atStop).toBe(1);
    expect(lines[0]).toMatchObject({ decision: 'masked', ModerationDecision: 2 });
    expect(lines[1]).toMatchObject({ UnknownCallbackCommand: 1 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses a second summing while one is on, so that no count goes to a sum nobody writes', () => {
    // Prepare
    summed = sumCountsEvery(1_000);

    // Act
    const second = () => sumCountsEvery(1_000);

    // Assess
    expect(second).toThrow(/summed already/);
  });
});
