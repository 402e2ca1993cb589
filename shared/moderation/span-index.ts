/**
 * Containment and overlap queries over `[start, end)` spans in O(log n), so resolving thousands of
 * matches in one hostile message stays fast.
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Index of the last element of `starts` (ascending) that is `<= value`, or -1. */
function lastAtOrBefore(starts: readonly number[], value: number): number {
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (starts[mid]! <= value) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

export class SpanIndex {
  // Containment: spans sorted by start, with the running maximum end.
  private readonly starts: number[];
  private readonly maxEnds: number[];
  // Overlap: the union of the spans as disjoint sorted intervals.
  private readonly unionStarts: number[] = [];
  private readonly unionEnds: number[] = [];

  constructor(spans: readonly Span[]) {
    const sorted = [...spans].sort((a, b) => a.start - b.start);
    this.starts = sorted.map((span) => span.start);
    let max = -1;
    this.maxEnds = sorted.map((span) => (max = Math.max(max, span.end)));
    for (const { start, end } of sorted) {
      const last = this.unionEnds.length - 1;
      if (last >= 0 && start < this.unionEnds[last]!) this.unionEnds[last] = Math.max(this.unionEnds[last]!, end);
      else {
        this.unionStarts.push(start);
        this.unionEnds.push(end);
      }
    }
  }

  /** Whether one span contains `span` entirely. */
  contains(span: Span): boolean {
    const i = lastAtOrBefore(this.starts, span.start);
    return i >= 0 && this.maxEnds[i]! >= span.end;
  }

  /** Whether `span` shares at least one position with some span. */
  overlaps(span: Span): boolean {
    const i = lastAtOrBefore(this.unionStarts, span.end - 1);
    return i >= 0 && this.unionEnds[i]! > span.start;
  }
}
