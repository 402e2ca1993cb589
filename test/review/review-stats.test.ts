import { describe, expect, it } from 'vitest';
import { reviewStats } from '#shared/review/review-stats.ts';

const at = (minutes: number) => new Date(Date.parse('2026-12-01T10:00:00Z') + minutes * 60_000).toISOString();

describe('Function: reviewStats()', () => {
  it('gives nearest-rank p50 and p90 of time to first claim and to decision, and decisions per moderator per day', () => {
    // Prepare: ten items flagged at 0, claimed after 1..10 minutes, decided 1 minute later
    const records = Array.from({ length: 10 }, (_, i) => ({
      flaggedAt: at(0),
      firstClaimedAt: at(i + 1),
      decidedAt: at(i + 2),
      decidedBy: i < 7 ? 'alice' : 'bob',
    }));

    // Act
    const stats = reviewStats(records, 7);

    // Assess
    expect(stats.timeToClaim).toEqual({ p50Seconds: 300, p90Seconds: 540, samples: 10 });
    expect(stats.timeToDecision).toEqual({ p50Seconds: 360, p90Seconds: 600, samples: 10 });
    expect(stats.decisionsPerModeratorPerDay).toEqual([
      { moderator: 'alice', day: '2026-12-01', decisions: 7 },
      { moderator: 'bob', day: '2026-12-01', decisions: 3 },
    ]);
  });

  it('answers null percentiles without decided items, and leaves items without a first claim out of time to claim', () => {
    // Act
    const empty = reviewStats([], 7);
    const unclaimed = reviewStats([{ flaggedAt: at(0), decidedAt: at(4), decidedBy: 'alice' }], 7);

    // Assess
    expect(empty.timeToDecision).toEqual({ p50Seconds: null, p90Seconds: null, samples: 0 });
    expect(unclaimed.timeToClaim.samples).toBe(0);
    expect(unclaimed.timeToDecision.p50Seconds).toBe(240);
  });
});
