/**
 * One walk of the term trie over one normalised text (the rules are in `term-trie.ts`), resumable.
 *
 * The walk is a set of states (trie node, text position, split), each kept once with the earliest start
 * that reaches it, processed in position order without recursion, and every state only queues states
 * at later positions. So the walk can stop before any position and carry on from there later with the
 * same result: `run(slice)` asks `slice.due()` every few thousand steps and returns false when told to stop.
 * All the walk's state lives here, so walks of several texts over one trie can be interleaved.
 *
 * Bounded cost: every state does constant work per matching edge, runs are read once per letter (a
 * run's end does not depend on where in it the walk started) and gaps are precomputed, so a walk is
 * linear in the text for a given policy, whatever the text repeats. `steps` counts the work.
 */
import { LEET_MASKS } from '#shared/moderation/leetspeak.ts';
import type { NormaliseBuffer } from '#shared/moderation/normalise.ts';
import { PendingStates } from '#shared/moderation/pending-states.ts';
import type { SliceClock } from '#shared/moderation/time-slicer.ts';
import type { TermTrie } from '#shared/moderation/term-trie.ts';
import {
  BOUNDED_END,
  BOUNDED_START,
  GAP_SYMBOL_BIT,
  NO_NODE,
  ROOT,
  SPLITTABLE_AFTER,
  SPLITTABLE_EDGE,
  symbolBit,
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
  private readonly runSymbol = new Int32Array(RUN_SLOTS).fill(-1);
  private readonly runStart = new Int32Array(RUN_SLOTS);
  private readonly runEnd = new Int32Array(RUN_SLOTS);
  /** The run slots this walk has written, so that the next walk clears only those (a text uses a few). */
  private readonly runSlotsUsed = new Int32Array(RUN_SLOTS);
  private runSlotsUsedCount = 0;
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
    for (let i = 0; i < this.runSlotsUsedCount; i++) this.runSymbol[this.runSlotsUsed[i]!] = -1;
    this.runSlotsUsedCount = 0;
    if (this.trie.size === 0) {
      this.position = n + 1;
      return;
    }
    if (this.trie.hasGaps) this.computeGaps();
    this.tokenLettersReady = false;
    this.pending.reset(n);
  }

  /**
   * Walks on until the text is done (true) or `slice.due()` says to stop (false: call again to go on).
   * Every entry whose term ends at a trie node reached from some start is reported, boundaries checked.
   */
  run(slice?: SliceClock): boolean {
    // Locals: `visit` cannot change these, and the loop reads them at every position.
    const { n, code, kind, soft, pending } = this;
    const { canStart, anyUnboundedStart } = this.trie;
    for (let p = this.position; p <= n; p++) {
      if (this.steps >= this.nextCheck) {
        this.nextCheck = this.steps + STEPS_PER_CHECK;
        if (slice !== undefined && p > this.position && slice.due()) {
          this.position = p;
          return false;
        }
      }
      if (pending.head(p) >= 0) {
        for (let s = pending.head(p); s >= 0; s = pending.next[s]!) {
          this.visit(pending.node[s]!, p, pending.start[s]!, pending.bounded[s]!, pending.split[s]!);
        }
        pending.release(p);
      }
      if (p === n) break;
      // Word boundaries are decided on the folded text: only a spaced-script letter right outside the
      // match denies one (so `class` hides `ass`, while `4ass`, `@bad` and `bad!` do not), and a soft
      // boundary left by a removed separator (`a b a d`) grants one. Most positions are inside a word,
      // so the boundary is tested first; `canStart` also skips separators (no term starts with one).
      const bounded = p === 0 || kind[p - 1] !== LETTER || soft[p] === 1;
      if ((bounded || anyUnboundedStart) && canStart[code[p]!] === 1) this.visit(ROOT, p, p, bounded ? p : NONE, 0);
      // Further inside a word, with no state queued there, nothing can happen: go on to where something can.
      if (!anyUnboundedStart) {
        const from = p;
        while (p + 1 < n && kind[p] === LETTER && soft[p + 1] === 0 && pending.head(p + 1) < 0) p++;
        this.steps += p - from;
      }
    }
    this.position = n + 1;
    this.sink = ignore;
    return true;
  }

  /** The boundary rule of `run`, after a match. */
  private boundaryAfter(end: number): boolean {
    return end >= this.n || this.kind[end] !== LETTER || this.soft[end] === 1;
  }

  /** A separator of exactly one character in the original text, between two tokens with letters. */
  private isSplitPoint(p: number): boolean {
    if (this.unitEnd[p]! - this.unitStart[p]! !== 1 || p === 0 || p + 1 >= this.n) return false;
    // Most split points sit between two letters; only other tokens (`4 55`) need the token table.
    if (this.kind[p - 1] === LETTER && this.kind[p + 1] === LETTER) return true;
    if (!this.tokenLettersReady) this.computeTokenLetters();
    return this.tokenHasLetter[p - 1] === 1 && this.tokenHasLetter[p + 1] === 1;
  }

  /**
   * One state: report the entries that end here, then queue the states it leads to. `start` is the
   * earliest start reaching this state, `bounded` the earliest with a word boundary before it.
   */
  private visit(node: number, p: number, start: number, bounded: number, split: number): void {
    this.steps++;
    const { nodes } = this;
    if (nodes.entryHead[node] !== NO_NODE) this.report(node, p, start, bounded, split);
    const symbols = nodes.childSymbols[node]!;
    if (p >= this.n || symbols === 0) return;
    const kind = this.kind[p]!;
    if (kind === SEPARATOR || kind === LEET || this.soft[p] === 1) {
      if ((symbols & GAP_SYMBOL_BIT) !== 0) this.crossGap(nodes.firstChild(node, GAP), p, start, bounded, split);
      if (kind === SEPARATOR) {
        if (split === 0 && (nodes.flags[node]! & SPLITTABLE_AFTER) !== 0 && this.isSplitPoint(p)) {
          this.queue(node, p + 1, start, bounded, nodes.letters[node]!);
        }
        return;
      }
    }
    const code = this.code[p]!;
    if ((symbols & symbolBit(code)) !== 0) {
      const own = nodes.firstChild(node, code);
      if (own !== NO_NODE) this.follow(node, own, p, code, start, bounded, split);
    }
    let mask = kind === PLAIN_DIGIT ? 0 : leetMasks[code]! & symbols;
    while (mask !== 0) {
      const bit = 31 - Math.clz32(mask);
      mask &= ~(1 << bit);
      this.follow(node, nodes.firstChild(node, 97 + bit), p, 97 + bit, start, bounded, split);
    }
  }

  /**
   * Queues a state unless it would do nothing when visited: no entry ends at its node and no edge of it
   * reads the unit at `p` (as itself, as a letter it stands for, as a gap or a split). Most states die
   * so, on the next letter of an ordinary word, and cost one lookup here instead of a queue entry and a visit.
   */
  private queue(node: number, p: number, start: number, bounded: number, split: number): void {
    if (this.leadsOn(node, p, split)) this.pending.push(node, p, start, bounded, split);
  }

  private leadsOn(node: number, p: number, split: number): boolean {
    const { nodes } = this;
    if (nodes.entryHead[node] !== NO_NODE) return true;
    const symbols = nodes.childSymbols[node]!;
    if (p >= this.n || symbols === 0) return false;
    const kind = this.kind[p]!;
    if (kind === SEPARATOR) return (symbols & GAP_SYMBOL_BIT) !== 0 || (split === 0 && (nodes.flags[node]! & SPLITTABLE_AFTER) !== 0);
    const code = this.code[p]!;
    let read = symbolBit(code) | (kind === PLAIN_DIGIT ? 0 : leetMasks[code]!);
    if (kind === LEET || this.soft[p] === 1) read |= GAP_SYMBOL_BIT;
    return (symbols & read) !== 0;
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
    if (last >= 0) this.queue(next, last + 1, start, bounded, split);
  }

  /** Follows every edge of `node` reading `symbol` (one per repeat count, from `first` on). */
  private follow(node: number, first: number, p: number, symbol: number, start: number, bounded: number, split: number): void {
    const { nodes } = this;
    const end = this.runEndFrom(p, symbol);
    for (let child = first; child !== NO_NODE; child = nodes.sameSymbol[child]!) {
      const count = nodes.count[child]!;
      if (runMatches(end - p, count)) this.queue(child, end, start, bounded, split);
      // A spelled-out word may run into a next one-letter token (`b a d d`): cut the run there.
      else if (p + count < end && this.soft[p + count] === 1) this.queue(child, p + count, start, bounded, split);
      else if (split === 0 && (nodes.flags[child]! & SPLITTABLE_EDGE) !== 0 && end - p < count) this.splitRun(node, child, p, end, symbol, start, bounded);
      if (nodes.childSymbols[child] === 0) continue;
      // Queued without `leadsOn`: the unit at `k` is an ambiguous leet unit, which nearly always leads on.
      for (let k = end - 1, back = 0; k > p && back < MAX_BACKOFF && mayHandOff(this.code[k]!); k--, back++) {
        if (runMatches(k - p, count)) this.pending.push(child, k, start, bounded, split);
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
    if (q - end - 1 === wanted) this.queue(child, q, start, bounded, this.nodes.letters[node]! + (end - p));
  }

  private canBe(i: number, symbol: number): boolean {
    const code = this.code[i]!;
    if (code === symbol) return true;
    return symbol >= 97 && symbol <= 122 && ((leetMasks[code]! >>> (symbol - 97)) & 1) === 1 && this.kind[i] !== PLAIN_DIGIT;
  }

  /**
   * Where the run of `symbol` that holds `p` ends (the unit at `p` can always be `symbol`). Positions are
   * visited in order, so each run of each letter is read once per walk; a run of one unit, most of them,
   * is told by the next unit and never enters the table.
   */
  private runEndFrom(p: number, symbol: number): number {
    const slot = symbol & (RUN_SLOTS - 1);
    if (this.runSymbol[slot] === symbol && this.runStart[slot]! <= p && p < this.runEnd[slot]!) return this.runEnd[slot]!;
    const next = p + 1;
    if (next >= this.n || this.kind[next] === SEPARATOR || !this.canBe(next, symbol)) {
      this.steps++;
      return next;
    }
    let q = p;
    while (q < this.n && this.kind[q] !== SEPARATOR && this.canBe(q, symbol)) q++;
    this.steps += q - p;
    if (this.runSymbol[slot] === -1) this.runSlotsUsed[this.runSlotsUsedCount++] = slot;
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
