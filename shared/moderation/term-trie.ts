/**
 * All word and phrase terms of a policy in one trie over run-length-encoded normalised text, walked once
 * from each possible start of a scanned text.
 *
 * An edge is (letter, count): `ass` is a×1 then s×2. A run of `r` text units that can each be the
 * letter (the letter itself or a leet symbol for it) matches count `c` when `r === c` or `r >= max(c, 3)`:
 * three or more is emphasis (`baaad`, `asss`) while exactly two is a different word (`good` is not `god`).
 * Runs are consumed greedily; when a run ends in ambiguous leet units (`1`, `|` = i or l) the walk also
 * tries handing up to four of them to the next edge (`ki11` = k, i, ll), and a run that overshoots into
 * a spelled-out neighbour is cut at the soft boundary (`b a d d`). A separator edge (between the
 * words of a phrase) takes one separator, possibly after leet punctuation (`bad! man`), or a soft
 * boundary (`b a d m a n`).
 *
 * Work per scan is linear in practice: runs are cached per letter (a run's end does not depend on where
 * in it the walk started), so a long `aaaa…` or `1111…` is read once, not once per start.
 */
import { LEET_LETTERS, LEET_MASKS } from '#shared/moderation/leetspeak.ts';
import type { NormaliseBuffer, NormalisedText } from '#shared/moderation/normalise.ts';
import { SEPARATOR_CODE, UnitKind } from '#shared/moderation/unit-kind.ts';
import type { TermEntry } from '#shared/moderation/term-entry.ts';

// Module-level copies, so the hot loops read local bindings in whatever module format this is bundled.
const LETTER = UnitKind.Letter;
const LEET = UnitKind.Leet;
const SEPARATOR = UnitKind.Separator;
const GAP = SEPARATOR_CODE;
const leetMasks = LEET_MASKS;
/** A leet unit that stands for more than one letter (`1`, `|`). */
const isAmbiguous = (code: number): boolean => {
  const mask = leetMasks[code]!;
  return (mask & (mask - 1)) !== 0;
};

/** How many trailing ambiguous leet units a run may hand to the next edge. */
const MAX_BACKOFF = 4;

interface TrieEdge {
  readonly count: number;
  readonly node: TrieNode;
}

class TrieNode {
  /** ASCII symbol (`SEPARATOR_CODE` for a phrase gap) → edges, one per repeat count (faster than a Map). */
  readonly ascii: (TrieEdge[] | undefined)[] = new Array<TrieEdge[] | undefined>(128).fill(undefined);
  /** Every other symbol → edges. */
  readonly other = new Map<number, TrieEdge[]>();
  size = 0;
  entries: TermEntry[] | null = null;

  edges(symbol: number): TrieEdge[] | undefined {
    return symbol < 128 ? this.ascii[symbol] : this.other.get(symbol);
  }
}

export type TrieMatchSink = (entry: TermEntry, start: number, end: number) => void;

const runMatches = (run: number, count: number): boolean => run === count || (run >= 3 && run >= count);

export class TermTrie {
  private readonly root = new TrieNode();
  /** 1 for every UTF-16 unit that can begin some term (the letter itself or a leet symbol for it). */
  private readonly canStart = new Uint8Array(0x10000);
  /** Some entry may start anywhere (allowed words, CJK terms), so no start position can be skipped. */
  private anyUnboundedStart = false;
  size = 0;

  // Per-scan state, kept on the instance so the hot path allocates nothing.
  private n = 0;
  private code = new Uint16Array(0);
  private kind = new Uint8Array(0);
  private soft = new Uint8Array(0);
  private sink: TrieMatchSink = () => undefined;
  private epoch = 0;
  private readonly runEpoch = new Int32Array(0x10000);
  private readonly runStart = new Int32Array(0x10000);
  private readonly runEnd = new Int32Array(0x10000);

  /**
   * Adds a normalised term. Returns false when nothing matchable is left (only separators), so the
   * caller can reject it.
   */
  add(term: NormalisedText, entry: TermEntry): boolean {
    let first = 0;
    let last = term.text.length;
    while (first < last && term.kind[first] === SEPARATOR) first++;
    while (last > first && term.kind[last - 1] === SEPARATOR) last--;
    if (first === last) return false;
    let node = this.root;
    for (let i = first; i < last; ) {
      const symbol = term.text.charCodeAt(i);
      let j = i + 1;
      if (symbol !== GAP) while (j < last && term.text.charCodeAt(j) === symbol) j++;
      if (node === this.root) this.markStart(symbol);
      node = this.child(node, symbol, j - i);
      i = j;
    }
    (node.entries ??= []).push(entry);
    if (!entry.boundedStart) this.anyUnboundedStart = true;
    this.size++;
    return true;
  }

  private markStart(symbol: number): void {
    this.canStart[symbol] = 1;
    if (symbol < 97 || symbol > 122) return;
    for (const leet of Object.keys(LEET_LETTERS)) {
      if ((leetMasks[leet.charCodeAt(0)]! >>> (symbol - 97)) & 1) this.canStart[leet.charCodeAt(0)] = 1;
    }
  }

  private child(node: TrieNode, symbol: number, count: number): TrieNode {
    let edges = node.edges(symbol);
    if (edges === undefined) {
      edges = [];
      if (symbol < 128) node.ascii[symbol] = edges;
      else node.other.set(symbol, edges);
      node.size++;
    }
    const existing = edges.find((edge) => edge.count === count);
    if (existing !== undefined) return existing.node;
    const created = new TrieNode();
    edges.push({ count, node: created });
    return created;
  }

  /** Reports every entry whose term ends at a trie node reached from some start, boundaries checked. */
  scan(buffer: NormaliseBuffer, sink: TrieMatchSink): void {
    if (this.size === 0) return;
    this.n = buffer.length;
    this.code = buffer.code;
    this.kind = buffer.kind;
    this.soft = buffer.softBoundary;
    this.sink = sink;
    this.epoch = (this.epoch + 1) | 0;
    const { n, code, canStart } = this;
    for (let p = 0; p < n; p++) {
      if (canStart[code[p]!] === 0) continue; // also skips separators: no term starts with one
      if (!this.anyUnboundedStart && !this.boundaryBefore(p)) continue;
      this.walk(this.root, p, p);
    }
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

  private walk(node: TrieNode, p: number, start: number): void {
    const entries = node.entries;
    if (entries !== null) {
      for (const entry of entries) {
        if (entry.boundedStart && !this.boundaryBefore(start)) continue;
        if (entry.boundedEnd && !this.boundaryAfter(p)) continue;
        this.sink(entry, start, p);
      }
    }
    if (p >= this.n || node.size === 0) return;
    const kind = this.kind[p]!;
    if (kind === SEPARATOR || kind === LEET || this.soft[p] === 1) {
      const gap = node.ascii[GAP];
      if (gap !== undefined && p > start) this.crossGap(gap[0]!.node, p, start);
      if (kind === SEPARATOR) return;
    }
    const code = this.code[p]!;
    const own = node.edges(code);
    if (own !== undefined) this.follow(own, p, code, start);
    let mask = leetMasks[code]!;
    while (mask !== 0) {
      const bit = 31 - Math.clz32(mask);
      mask &= ~(1 << bit);
      const edges = node.ascii[97 + bit];
      if (edges !== undefined) this.follow(edges, p, 97 + bit, start);
    }
  }

  /** A phrase gap: a soft boundary, or leet punctuation and separators up to the last separator. */
  private crossGap(next: TrieNode, p: number, start: number): void {
    if (this.soft[p] === 1 && this.kind[p] !== SEPARATOR) {
      this.walk(next, p, start);
      return;
    }
    let lastSeparator = -1;
    for (let q = p; q < this.n; q++) {
      const kind = this.kind[q];
      if (kind === SEPARATOR) lastSeparator = q;
      else if (kind !== LEET) break;
    }
    if (lastSeparator >= 0) this.walk(next, lastSeparator + 1, start);
  }

  private follow(edges: readonly TrieEdge[], p: number, symbol: number, start: number): void {
    const end = this.runEndFrom(p, symbol);
    for (const edge of edges) {
      if (runMatches(end - p, edge.count)) this.walk(edge.node, end, start);
      // A spelled-out word may run into a next one-letter token (`b a d d`): cut the run there.
      else if (p + edge.count < end && this.soft[p + edge.count] === 1) this.walk(edge.node, p + edge.count, start);
      if (edge.node.size === 0) continue;
      for (let k = end - 1, back = 0; k > p && back < MAX_BACKOFF && isAmbiguous(this.code[k]!); k--, back++) {
        if (runMatches(k - p, edge.count)) this.walk(edge.node, k, start);
      }
    }
  }

  private canBe(i: number, symbol: number): boolean {
    const code = this.code[i]!;
    if (code === symbol) return true;
    return symbol >= 97 && symbol <= 122 && ((leetMasks[code]! >>> (symbol - 97)) & 1) === 1;
  }

  private runEndFrom(p: number, symbol: number): number {
    if (this.runEpoch[symbol] === this.epoch && this.runStart[symbol]! <= p && p < this.runEnd[symbol]!) {
      return this.runEnd[symbol]!;
    }
    let q = p;
    while (q < this.n && this.kind[q] !== SEPARATOR && this.canBe(q, symbol)) q++;
    this.runEpoch[symbol] = this.epoch;
    this.runStart[symbol] = p;
    this.runEnd[symbol] = q;
    return q;
  }
}
