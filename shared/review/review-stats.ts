/**
 * How fast the team reviews, from the items decided in a window: time from flag (or report, or
 * appeal) to first claim and to decision, as p50 and p90 (nearest rank), and decisions per
 * moderator per UTC day.
 */
import * as z from 'zod';
import type { DecidedRecord } from './review-store.ts';

const Percentiles = z.object({ p50Seconds: z.number().nullable(), p90Seconds: z.number().nullable(), samples: z.number().int() });

export const ReviewStats = z.object({
  windowDays: z.number().int(),
  timeToClaim: Percentiles.describe('flag to first claim, of decided items'),
  timeToDecision: Percentiles.describe('flag to decision'),
  decisionsPerModeratorPerDay: z.array(z.object({ moderator: z.string(), day: z.string().describe('UTC date'), decisions: z.number().int() })),
});
export type ReviewStats = z.infer<typeof ReviewStats>;

export const StatsQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(7) });

/** Nearest-rank percentile of sorted values; null without any. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function percentiles(seconds: number[]): z.infer<typeof Percentiles> {
  const sorted = seconds.sort((a, b) => a - b);
  return { p50Seconds: percentile(sorted, 50), p90Seconds: percentile(sorted, 90), samples: sorted.length };
}

export function reviewStats(records: readonly DecidedRecord[], windowDays: number): ReviewStats {
  const since = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;
  const perDay = new Map<string, { moderator: string; day: string; decisions: number }>();
  for (const record of records) {
    const day = record.decidedAt.slice(0, 10);
    const key = `${record.decidedBy}\u0000${day}`;
    const row = perDay.get(key) ?? { moderator: record.decidedBy, day, decisions: 0 };
    row.decisions += 1;
    perDay.set(key, row);
  }
  return {
    windowDays,
    timeToClaim: percentiles(records.flatMap((r) => (r.firstClaimedAt ? [since(r.flaggedAt, r.firstClaimedAt)] : []))),
    timeToDecision: percentiles(records.map((r) => since(r.flaggedAt, r.decidedAt))),
    decisionsPerModeratorPerDay: [...perDay.values()].sort((a, b) => b.day.localeCompare(a.day) || a.moderator.localeCompare(b.moderator)),
  };
}
