/**
 * One walk of the term trie over one normalised text (the rules are in `term-trie.ts`), resumable.
 *
 * The walk is a set of states (trie node, text position, split), each kept once with the earliest start
 * that reaches it, processed in position order without recursion, and every state only queues states
 * at later positions. So the walk can stop before any position and carry on from there later with the
 * same result: `run(due)` asks `due()` every few thousand steps and returns false when told to stop.
 * All the walk's state lives here, so walks of several texts over one trie can be interleaved.
 *
 * Bounded cost: every state does constant work per matching edge, runs are read once per letter (a
 * run's end does not depend on where in it the walk started) and gaps are precomputed, so a walk is
 * linear in the text for a given policy, whatever the text repeats. `steps` counts the work.
 */
import { LEET_MASKS } from '#shared/moderation/leetspeak.ts';
import type { NormaliseBuffer } from '#shared/moderation/normalise.ts';
import { PendingStates } from '#shared/moderation/pending-states.ts';
import type { TermTrie } from '#shared/moderation/term-trie.ts';
import {
  BOUNDED_END,
  BOUNDED_START,
  HAS_CHILDREN,
  NO_NODE,
  ROOT,
  SPLITTABLE_AFTER,
  SPLITTABLE_EDGE,
  type TrieNodes,
} from '#shared/moderation/trie-nodes.ts';
import { SEPARATOR_CODE, UnitKind } from '#shared/moderation/unit-kind.ts';

// Module-level copies, so the hot loops read local bindings in whatever module format this is bundled.
const LETTER = UnitKind.Letter;
const LEET = UnitKind.Leet;
const SEPARATOR = UnitKind.Separator;
const PLAIN_DIGIT = UnitKind.PlainDigit;
const GAP = SEPARATOR_CODE;
const leetMasks = LEET_MASKS;
const EXCLAMATION = 0x21;
/**
 * A leet unit a run may hand to the next edge: one that stands for more than one letter (`1`, `|`), or
 * `!`, which the normaliser keeps after a word no dictionary lists and may be punctuation (`guewfi!`).
 */
const mayHandOff = (code: number): boolean => {
  const mask = leetMasks[code]!;
  return (mask & (mask - 1)) !== 0 || code === EXCLAMATION;
};

/** How many trailing leet units a run may hand to the next edge (`mayHandOff`). */
const MAX_BACKOFF = 4;
/** "No start with a word boundary before it reaches this state." */
const NONE = 0x7fffffff;
/** Steps between two questions to `due()`: a few tens of microseconds of work. */
const STEPS_PER_CHECK = 4096;
/**
 * Runs are remembered per symbol in a table indexed by the symbol's low bits. Two symbols that share a
 * slot never both describe one unit (leet units stand only for ASCII letters), so the run a walk is
 * inside of is never evicted by another and each run is still read once.
 */
const RUN_SLOTS = 1024;

/** Receives every entry id whose term ends at `end` (exclusive) from `start`, in normalised units. */
export type TrieMatchSink = (entry: number, start: number, end: number) => void;

const runMatches = (run: number, count: number): boolean => run === count || (run >= 3 && run >= count);
const ignore: TrieMatchSink = () => undefined;

export class TrieWalk {
  /** Work done so far (states visited plus units read), for tests that bound it. */
  steps = 0;
  private nodes: TrieNodes;
  private n = 0;
  private position = 0;
  private nextCheck = 0;
  private code = new Uint16Array(0);
  private kind = new Uint8Array(0);
  private soft = new Uint8Array(0);
  private unitStart = new Int32Array(0);
  private unitEnd = new Int32Array(0);
  private sink: TrieMatchSink = ignore;
  private readonly runSymbol = new Int32Array(RUN_SLOTS);
  private readonly runStart = new Int32Array(RUN_SLOTS);
  private readonly runEnd = new Int32Array(RUN_SLOTS);
  /** Per position, the last separator of the leet-or-separator stretch starting there, or -1. */
  private gapLast = new Int32Array(0);
  /** Per position, 1 when the token (between separators) around it has a letter: `4 55` is no split word. */
  private tokenHasLetter = new Uint8Array(0);
  /** `tokenHasLetter` is filled on the first split check of a walk: most texts never need one. */
  private tokenLettersReady = false;
  private readonly pending = new PendingStates();

  constructor(private readonly trie: TermTrie) {
    this.nodes = trie.nodes;
  }

  /** Starts a walk over `buffer` (which must not change until the walk is done). */
  begin(buffer: NormaliseBuffer, sink: TrieMatchSink): void {
    this.nodes = this.trie.nodes;
    const n = (this.n = buffer.length);
    this.code = buffer.code;
    this.kind = buffer.kind;
    this.soft = buffer.softBoundary;
    this.unitStart = buffer.start;
    this.unitEnd = buffer.end;
    this.sink = sink;
    this.steps = 0;
    this.nextCheck = 0;
    this.position = 0;
    this.runSymbol.fill(-1);
    if (this.trie.size === 0) {
      this.position = n + 1;
      return;
    }
    if (this.trie.hasGaps) this.computeGaps();
    this.tokenLettersReady = false;
    this.pending.reset(n);
  }

  /**
   * Walks on until the text is done (true) or `due()` says to stop (false: call again to go on).
   * Every entry whose term ends at a trie node reached from some start is reported, boundaries checked.
   */
  run(due?: () => boolean): boolean {
    const { n, code, pending } = this;
    const { canStart, anyUnboundedStart } = this.trie;
    for (let p = this.position; p <= n; p++) {
      if (this.steps >= this.nextCheck) {
        this.nextCheck = this.steps + STEPS_PER_CHECK;
        if (due !== undefined && p > this.position && due()) {
          this.position = p;
          return false;
        }
      }
      for (let s = pending.head(p); s >= 0; s = pending.next[s]!) {
        this.visit(pending.node[s]!, p, pending.start[s]!, pending.bounded[s]!, pending.split[s]!);
      }
      pending.release(p);
      if (p === n || canStart[code[p]!] === 0) continue; // also skips separators: no term starts with one
      const bounded = this.boundaryBefore(p);
      if (bounded || anyUnboundedStart) this.visit(ROOT, p, p, bounded ? p : NONE, 0);
    }
    this.position = n + 1;
    this.sink = ignore;
    return true;
  }

  /**
   * Word boundaries are decided on the folded text: only a spaced-script letter right outside the match
   * denies one (so `class` hides `ass`, while `4ass`, `@bad` and `bad!` do not), and a soft boundary
   * left by a removed separator (`a b a d`) grants one.
   */
  private boundaryBefore(start: number): boolean {
    return start === 0 || this.kind[start - 1] !== LETTER || this.soft[start] === 1;
  }

  private boundaryAfter(end: number): boolean {
    return end >= this.n || this.kind[end] !== LETTER || this.soft[end] === 1;
  }

  /** A separator of exactly one character in the original text, between two tokens with letters. */
  private isSplitPoint(p: number): boolean {
    if (!this.tokenLettersReady) this.computeTokenLetters();
    return (
      this.unitEnd[p]! - this.unitStart[p]! === 1 &&
      p > 0 &&
      p + 1 < this.n &&
      this.tokenHasLetter[p - 1] === 1 &&
      this.tokenHasLetter[p + 1] === 1
    );
  }

  /**
   * One state: report the entries that end here, then queue the states it leads to. `start` is the
   * earliest start reaching this state, `bounded` the earliest with a word boundary before it.
   */
  private visit(node: number, p: number, start: number, bounded: number, split: number): void {
    this.steps++;
    const { nodes } = this;
    if (nodes.entryHead[node] !== NO_NODE) this.report(node, p, start, bounded, split);
    if (p >= this.n || (nodes.flags[node]! & HAS_CHILDREN) === 0) return;
    const kind = this.kind[p]!;
    if (kind === SEPARATOR || kind === LEET || this.soft[p] === 1) {
      const gap = nodes.firstChild(node, GAP);
      if (gap !== NO_NODE) this.crossGap(gap, p, start, bounded, split);
      if (kind === SEPARATOR) {
        if (split === 0 && (nodes.flags[node]! & SPLITTABLE_AFTER) !== 0 && this.isSplitPoint(p)) {
          this.pending.push(node, p + 1, start, bounded, nodes.letters[node]!);
        }
        return;
      }
    }
    const code = this.code[p]!;
    const own = nodes.firstChild(node, code);
    if (own !== NO_NODE) this.follow(node, own, p, code, start, bounded, split);
    let mask = kind === PLAIN_DIGIT ? 0 : leetMasks[code]!;
    while (mask !== 0) {
      const bit = 31 - Math.clz32(mask);
      mask &= ~(1 << bit);
      const child = nodes.firstChild(node, 97 + bit);
      if (child !== NO_NODE) this.follow(node, child, p, 97 + bit, start, bounded, split);
    }
  }

  private report(node: number, p: number, start: number, bounded: number, split: number): void {
    const { nodes, sink } = this;
    const boundaryAfter = this.boundaryAfter(p);
    for (let r = nodes.entryHead[node]!; r !== NO_NODE; r = nodes.recordNext[r]!) {
      if (split !== 0 && !nodes.maySplitAt(r, split)) continue;
      const flags = nodes.recordFlags[r]!;
      if ((flags & BOUNDED_END) !== 0 && !boundaryAfter) continue;
      const from = (flags & BOUNDED_START) !== 0 ? bounded : start;
      if (from !== NONE) sink(nodes.recordEntry[r]!, from, p);
    }
  }

  /** A phrase gap: a soft boundary, or leet punctuation and separators up to the last separator. */
  private crossGap(next: number, p: number, start: number, bounded: number, split: number): void {
    if (this.soft[p] === 1 && this.kind[p] !== SEPARATOR) {
      // Same position, and the node after a gap has no gap edge of its own: one level deep at most.
      this.visit(next, p, start, bounded, split);
      return;
    }
    const last = this.gapLast[p]!;
    if (last >= 0) this.pending.push(next, last + 1, start, bounded, split);
  }

  /** Follows every edge of `node` reading `symbol` (one per repeat count, from `first` on). */
  private follow(node: number, first: number, p: number, symbol: number, start: number, bounded: number, split: number): void {
    const { pending, nodes } = this;
    const end = this.runEndFrom(p, symbol);
    for (let child = first; child !== NO_NODE; child = nodes.sameSymbol[child]!) {
      const count = nodes.count[child]!;
      const flags = nodes.flags[child]!;
      if (runMatches(end - p, count)) pending.push(child, end, start, bounded, split);
      // A spelled-out word may run into a next one-letter token (`b a d d`): cut the run there.
      else if (p + count < end && this.soft[p + count] === 1) pending.push(child, p + count, start, bounded, split);
      else if (split === 0 && (flags & SPLITTABLE_EDGE) !== 0 && end - p < count) this.splitRun(node, child, p, end, symbol, start, bounded);
      if ((flags & HAS_CHILDREN) === 0) continue;
      for (let k = end - 1, back = 0; k > p && back < MAX_BACKOFF && mayHandOff(this.code[k]!); k--, back++) {
        if (runMatches(k - p, count)) pending.push(child, k, start, bounded, split);
      }
    }
  }

  /** A run split by one separator (`as s` for a×1 s×2): the two parts must add up to the count exactly. */
  private splitRun(node: number, child: number, p: number, end: number, symbol: number, start: number, bounded: number): void {
    if (end >= this.n || this.kind[end] !== SEPARATOR || !this.isSplitPoint(end)) return;
    const wanted = this.nodes.count[child]! - (end - p);
    let q = end + 1;
    while (q < this.n && q - end - 1 <= wanted && this.kind[q] !== SEPARATOR && this.canBe(q, symbol)) q++;
    this.steps += q - end;
    if (q - end - 1 === wanted) this.pending.push(child, q, start, bounded, this.nodes.letters[node]! + (end - p));
  }

  private canBe(i: number, symbol: number): boolean {
    const code = this.code[i]!;
    if (code === symbol) return true;
    return symbol >= 97 && symbol <= 122 && ((leetMasks[code]! >>> (symbol - 97)) & 1) === 1 && this.kind[i] !== PLAIN_DIGIT;
  }

  /** Positions are visited in order, so each run of each letter is read once per walk. */
  private runEndFrom(p: number, symbol: number): number {
    const slot = symbol & (RUN_SLOTS - 1);
    if (this.runSymbol[slot] === symbol && this.runStart[slot]! <= p && p < this.runEnd[slot]!) return this.runEnd[slot]!;
    let q = p;
    while (q < this.n && this.kind[q] !== SEPARATOR && this.canBe(q, symbol)) q++;
    this.steps += q - p;
    this.runSymbol[slot] = symbol;
    this.runStart[slot] = p;
    this.runEnd[slot] = q;
    return q;
  }

  /** Fills `tokenHasLetter`: one pass to find each token's letters, one to spread the answer over it. */
  private computeTokenLetters(): void {
    const { n, kind } = this;
    if (this.tokenHasLetter.length < n) this.tokenHasLetter = new Uint8Array(Math.max(n, this.tokenHasLetter.length * 2));
    const has = this.tokenHasLetter;
    for (let a = 0; a < n; ) {
      if (kind[a] === SEPARATOR) {
        has[a++] = 0;
        continue;
      }
      let b = a;
      let letter = 0;
      while (b < n && kind[b] !== SEPARATOR) if (kind[b++] === LETTER) letter = 1;
      has.fill(letter, a, b);
      a = b;
    }
    this.tokenLettersReady = true;
    this.steps += n;
  }

  /** Fills `gapLast` right to left, so that crossing a gap of any length costs one lookup. */
  private computeGaps(): void {
    const { n, kind } = this;
    if (this.gapLast.length < n + 1) this.gapLast = new Int32Array(Math.max(n + 1, this.gapLast.length * 2));
    const gapLast = this.gapLast;
    let last = -1;
    for (let q = n - 1; q >= 0; q--) {
      const k = kind[q];
      if (k === SEPARATOR) last = last >= 0 ? last : q;
      else if (k !== LEET) last = -1;
      gapLast[q] = k === SEPARATOR || k === LEET ? last : -1;
    }
    this.steps += n;
  }
}
