/**
 * From every raw match of a scan to the ones reported: matches inside an allowed word are dropped, and
 * where actions overlap the strongest wins (blocked > masked > flagged). Positions are units of the
 * normalised text. Suppression and precedence are linear in the text plus the matches (prefix sums
 * over positions, no recursion); the final sort counts matches per start position.
 */
import { ACTION_RANK, type TermEntry } from '#shared/moderation/term-entry.ts';

/** Raw matches as parallel arrays: term entry id, start and end (exclusive) in normalised units. */
export class MatchList {
  entry = new Int32Array(256);
  start = new Int32Array(256);
  end = new Int32Array(256);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(entry: number, start: number, end: number): void {
    if (this.length === this.entry.length) this.grow();
    this.entry[this.length] = entry;
    this.start[this.length] = start;
    this.end[this.length] = end;
    this.length++;
  }

  private grow(): void {
    const grown = (old: Int32Array) => {
      const next = new Int32Array(old.length * 2);
      next.set(old);
      return next;
    };
    this.entry = grown(this.entry);
    this.start = grown(this.start);
    this.end = grown(this.end);
  }
}

const STRONGEST_FIRST = [ACTION_RANK.blocked, ACTION_RANK.masked, ACTION_RANK.flagged];
/** The answers for a single match; callers only read them. */
const NONE_KEPT = new Int32Array(0);
const ONLY_FIRST = Int32Array.of(0);
/** Matches sharing a start up to this many are ordered by insertion; more by a comparison sort. */
const INSERTION_SORT_UP_TO = 16;

/**
 * The indices into `found` of the matches to report, ordered by start, then longest, then strongest.
 * A term found twice over the same span (listed twice, or under two actions) is reported once.
 * `n` is the length of the normalised text. Typed arrays throughout: a 1 MiB message can hold 500,000 matches.
 */
export function resolveMatches(found: MatchList, entries: readonly TermEntry[], n: number): Int32Array {
  // Most texts with a match have exactly one: nothing to drop, sort or merge.
  if (found.length === 1) return entries[found.entry[0]!]!.rank === ACTION_RANK.allowed ? NONE_KEPT : ONLY_FIRST;
  const steps = resolveInSteps(found, entries, n);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** `resolveMatches` one pass at a time: it yields between passes, so that a caller can let the event loop run. */
export function* resolveInSteps(found: MatchList, entries: readonly TermEntry[], n: number): Generator<void, Int32Array, void> {
  const count = found.length;
  const rank = new Uint8Array(count);
  let ranksPresent = 0;
  for (let m = 0; m < count; m++) {
    rank[m] = entries[found.entry[m]!]!.rank;
    ranksPresent |= 1 << rank[m]!;
  }
  const keep = new Uint8Array(count).fill(1);
  yield;
  if ((ranksPresent & (1 << ACTION_RANK.allowed)) !== 0) {
    dropInsideAllowed(found, rank, keep, n);
    yield;
  }
  const actions = ranksPresent & ~(1 << ACTION_RANK.allowed);
  // Precedence matters only where two actions are present.
  if ((actions & (actions - 1)) !== 0) {
    dropUnderStronger(found, rank, keep, n);
    yield;
  }
  const sorted = sortByStart(found, rank, keep, n);
  yield;
  return withoutRepeats(found, sorted, entries);
}

/** Allowed matches are never reported, nor any match that lies entirely inside one. */
function dropInsideAllowed(found: MatchList, rank: Uint8Array, keep: Uint8Array, n: number): void {
  // reach[p]: the furthest end of an allowed match starting at or before p.
  const reach = new Int32Array(n + 1);
  for (let m = 0; m < found.length; m++) {
    if (rank[m] !== ACTION_RANK.allowed) continue;
    keep[m] = 0;
    reach[found.start[m]!] = Math.max(reach[found.start[m]!]!, found.end[m]!);
  }
  for (let p = 1; p <= n; p++) if (reach[p - 1]! > reach[p]!) reach[p] = reach[p - 1]!;
  for (let m = 0; m < found.length; m++) if (keep[m] === 1 && reach[found.start[m]!]! >= found.end[m]!) keep[m] = 0;
}

/** Drops each match that overlaps a kept match of a stronger action. */
function dropUnderStronger(found: MatchList, rank: Uint8Array, keep: Uint8Array, n: number): void {
  // depth: +1 at each kept stronger match's start, -1 at its end; covered[p]: covered units before p.
  const depth = new Int32Array(n + 1);
  const covered = new Int32Array(n + 1);
  for (const strength of STRONGEST_FIRST) {
    if (strength !== ACTION_RANK.blocked) {
      for (let m = 0; m < found.length; m++) {
        if (keep[m] === 1 && rank[m] === strength && covered[found.end[m]!]! - covered[found.start[m]!]! > 0) keep[m] = 0;
      }
    }
    if (strength === ACTION_RANK.flagged) return;
    for (let m = 0; m < found.length; m++) {
      if (keep[m] !== 1 || rank[m] !== strength) continue;
      depth[found.start[m]!]!++;
      depth[found.end[m]!]!--;
    }
    let open = 0;
    for (let p = 0; p < n; p++) {
      open += depth[p]!;
      covered[p + 1] = covered[p]! + (open > 0 ? 1 : 0);
    }
  }
}

/** The kept matches by start (a counting sort over positions), then longest, then strongest. */
function sortByStart(found: MatchList, rank: Uint8Array, keep: Uint8Array, n: number): Int32Array {
  const { start, end } = found;
  const offsets = new Int32Array(n + 2);
  let kept = 0;
  for (let m = 0; m < found.length; m++) {
    if (keep[m] === 0) continue;
    offsets[start[m]! + 1]!++;
    kept++;
  }
  for (let p = 1; p <= n + 1; p++) offsets[p]! += offsets[p - 1]!;
  const sorted = new Int32Array(kept);
  for (let m = 0; m < found.length; m++) if (keep[m] === 1) sorted[offsets[start[m]!]!++] = m;
  // Before `b`: longer, or as long and stronger. Equal ones keep their order (both sorts are stable).
  const before = (a: number, b: number) => end[a]! > end[b]! || (end[a] === end[b] && rank[a]! > rank[b]!);
  for (let i = 0; i < kept; ) {
    let j = i + 1;
    while (j < kept && start[sorted[j]!] === start[sorted[i]!]) j++;
    if (j - i > INSERTION_SORT_UP_TO) {
      const group = Array.from(sorted.subarray(i, j)).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      sorted.set(group, i);
    } else {
      for (let g = i + 1; g < j; g++) {
        const m = sorted[g]!;
        let h = g - 1;
        for (; h >= i && before(m, sorted[h]!); h--) sorted[h + 1] = sorted[h]!;
        sorted[h + 1] = m;
      }
    }
    i = j;
  }
  return sorted;
}

/** Drops a match of the same term and action over the same span as one before it (sorted input). */
function withoutRepeats(found: MatchList, sorted: Int32Array, entries: readonly TermEntry[]): Int32Array {
  const { start, end, entry } = found;
  const result = new Int32Array(sorted.length);
  let kept = 0;
  const keyOf = (m: number) => `${entries[entry[m]!]!.term}\u0000${entries[entry[m]!]!.action}`;
  let group: Set<string> | null = null; // the keys over the current span, made only when a span repeats
  for (let i = 0; i < sorted.length; i++) {
    const m = sorted[i]!;
    const previous = i > 0 ? sorted[i - 1]! : -1;
    if (previous < 0 || start[previous] !== start[m] || end[previous] !== end[m]) {
      group = null;
      result[kept++] = m;
      continue;
    }
    group ??= new Set([keyOf(previous)]);
    const key = keyOf(m);
    if (group.has(key)) continue;
    group.add(key);
    result[kept++] = m;
  }
  return result.subarray(0, kept);
}
