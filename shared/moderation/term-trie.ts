/**
 * All word and phrase terms of a policy in one trie over run-length-encoded normalised text, walked over
 * a scanned text in one left-to-right pass.
 *
 * An edge is (letter, count): `ass` is a×1 then s×2. A run of `r` text units that can each be the
 * letter (the letter itself or a leet symbol for it) matches count `c` when `r === c` or `r >= max(c, 3)`:
 * three or more is emphasis (`baaad`, `asss`) while exactly two is a different word (`good` is not `god`).
 * Runs are consumed greedily; when a run ends in ambiguous leet units (`1`, `|` = i or l) the walk also
 * tries handing up to four of them to the next edge (`ki11` = k, i, ll), and a run that overshoots into
 * a spelled-out neighbour is cut at the soft boundary (`b a d d`). A separator edge (between the
 * words of a phrase) takes one separator, possibly after leet punctuation (`bad! man`), or a soft
 * boundary (`b a d m a n`). A word may be split once by a single separator character (`bas tard`) where
 * its term allows that split (`word-forms.ts` decides which).
 *
 * Bounded cost: the walk is a set of states (trie node, text position, split), each kept once with the
 * earliest start that reaches it, processed in position order without recursion. Every state does
 * constant work per matching edge, runs are read once per letter (a run's end does not depend on where
 * in it the walk started) and gaps are precomputed, so a scan is linear in the text for a given policy,
 * whatever the text repeats. `lastScanSteps` counts the work, for tests that check that.
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
/** "No start with a word boundary before it reaches this state." */
const NONE = 0x7fffffff;
/** Nodes with more children than this look them up in a table instead of a list. */
const LIST_LIMIT = 8;
/** A position with more pending states than this finds them through a hash table. */
const SHORT_BUCKET = 8;
const INITIAL_STATES = 1024;
const INITIAL_SLOTS = 1024;

interface TrieEdge {
  readonly count: number;
  readonly node: TrieNode;
  /** Some term allows a split inside this edge's run (`as s`). */
  splittable: boolean;
}

class TrieNode {
  /** Symbols with edges, and their edges (one per repeat count), while the node has few children. */
  private symbols: number[] = [];
  private lists: TrieEdge[][] = [];
  /** Symbol → edges, once the node has many children (the root). */
  private table: Map<number, TrieEdge[]> | null = null;
  size = 0;
  entries: TermEntry[] | null = null;
  /** Per entry, the letter offsets where its term may be split; null = nowhere. */
  splits: (ReadonlySet<number> | null)[] | null = null;
  /** Some term allows a split right after this node (at `letters`). */
  splittable = false;
  /** The edge between the words of a phrase, when this node ends a word of one. */
  gap: TrieNode | null = null;

  constructor(
    readonly id: number,
    /** Letters consumed from the root. */
    readonly letters: number,
  ) {}

  edges(symbol: number): TrieEdge[] | undefined {
    if (this.table !== null) return this.table.get(symbol);
    const i = this.symbols.indexOf(symbol);
    return i < 0 ? undefined : this.lists[i];
  }

  addEdges(symbol: number): TrieEdge[] {
    const edges: TrieEdge[] = [];
    if (this.table !== null) this.table.set(symbol, edges);
    else if (this.symbols.length < LIST_LIMIT) {
      this.symbols.push(symbol);
      this.lists.push(edges);
    } else {
      this.table = new Map(this.symbols.map((s, i) => [s, this.lists[i]!]));
      this.table.set(symbol, edges);
      this.symbols = [];
      this.lists = [];
    }
    this.size++;
    return edges;
  }
}

export type TrieMatchSink = (entry: TermEntry, start: number, end: number) => void;

const runMatches = (run: number, count: number): boolean => run === count || (run >= 3 && run >= count);

export class TermTrie {
  private readonly nodes: TrieNode[] = [];
  private readonly root = this.newNode(0);
  /** 1 for every UTF-16 unit that can begin some term (the letter itself or a leet symbol for it). */
  private readonly canStart = new Uint8Array(0x10000);
  /** Some entry may start anywhere (allowed words, CJK terms), so no start position can be skipped. */
  private anyUnboundedStart = false;
  private hasGaps = false;
  private hasSplits = false;
  size = 0;
  /** Work done by the last scan (states visited plus units read), for tests that bound it. */
  lastScanSteps = 0;

  // Per-scan state, kept on the instance so the hot path allocates little.
  private n = 0;
  private code = new Uint16Array(0);
  private kind = new Uint8Array(0);
  private soft = new Uint8Array(0);
  private unitStart = new Int32Array(0);
  private unitEnd = new Int32Array(0);
  private sink: TrieMatchSink = () => undefined;
  private steps = 0;
  private epoch = 0;
  private readonly runEpoch = new Int32Array(0x10000);
  private readonly runStart = new Int32Array(0x10000);
  private readonly runEnd = new Int32Array(0x10000);
  /** Per position, the last separator of the leet-or-separator stretch starting there, or -1. */
  private gapLast = new Int32Array(0);
  /** Per position, 1 when the token (between separators) around it has a letter: `4 55` is no split word. */
  private tokenHasLetter = new Uint8Array(0);
  private readonly pending = new PendingStates();

  private newNode(letters: number): TrieNode {
    const node = new TrieNode(this.nodes.length, letters);
    this.nodes.push(node);
    return node;
  }

  /**
   * Adds a normalised term. `splits` holds the letter offsets where the term may be split by one
   * separator. Returns false when nothing matchable is left (only separators), so the caller can reject it.
   */
  add(term: NormalisedText, entry: TermEntry, splits: ReadonlySet<number> | null = null): boolean {
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
      if (symbol === GAP) this.hasGaps = true;
      if (splits?.has(i - first) === true && node !== this.root) node.splittable = this.hasSplits = true;
      const edge = this.child(node, symbol, j - i);
      for (let k = i + 1; k < j; k++) if (splits?.has(k - first) === true) edge.splittable = this.hasSplits = true;
      node = edge.node;
      i = j;
    }
    (node.entries ??= []).push(entry);
    (node.splits ??= []).push(splits !== null && splits.size > 0 ? splits : null);
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

  private child(node: TrieNode, symbol: number, count: number): TrieEdge {
    const edges = node.edges(symbol) ?? node.addEdges(symbol);
    const existing = edges.find((edge) => edge.count === count);
    if (existing !== undefined) return existing;
    const created: TrieEdge = { count, node: this.newNode(node.letters + (symbol === GAP ? 0 : count)), splittable: false };
    edges.push(created);
    if (symbol === GAP) node.gap = created.node;
    return created;
  }

  /** Reports every entry whose term ends at a trie node reached from some start, boundaries checked. */
  scan(buffer: NormaliseBuffer, sink: TrieMatchSink): void {
    this.lastScanSteps = 0;
    if (this.size === 0) return;
    const n = (this.n = buffer.length);
    this.code = buffer.code;
    this.kind = buffer.kind;
    this.soft = buffer.softBoundary;
    this.unitStart = buffer.start;
    this.unitEnd = buffer.end;
    this.sink = sink;
    this.steps = 0;
    this.epoch = (this.epoch + 1) | 0;
    if (this.hasGaps) this.computeGaps();
    if (this.hasSplits) this.computeTokenLetters();
    const { code, canStart, pending } = this;
    pending.reset(n);
    for (let p = 0; p <= n; p++) {
      for (let s = pending.head(p); s >= 0; s = pending.next[s]!) {
        this.visit(this.nodes[pending.node[s]!]!, p, pending.start[s]!, pending.bounded[s]!, pending.split[s]!);
      }
      if (p === n || canStart[code[p]!] === 0) continue; // also skips separators: no term starts with one
      const bounded = this.boundaryBefore(p);
      if (bounded || this.anyUnboundedStart) this.visit(this.root, p, p, bounded ? p : NONE, 0);
    }
    this.lastScanSteps = this.steps;
    this.sink = () => undefined;
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
  private visit(node: TrieNode, p: number, start: number, bounded: number, split: number): void {
    this.steps++;
    const entries = node.entries;
    if (entries !== null) this.report(node, entries, p, start, bounded, split);
    if (p >= this.n || node.size === 0) return;
    const kind = this.kind[p]!;
    if (kind === SEPARATOR || kind === LEET || this.soft[p] === 1) {
      if (node.gap !== null) this.crossGap(node.gap, p, start, bounded, split);
      if (kind === SEPARATOR) {
        if (split === 0 && node.splittable && this.isSplitPoint(p)) this.pending.push(node.id, p + 1, start, bounded, node.letters);
        return;
      }
    }
    const code = this.code[p]!;
    const own = node.edges(code);
    if (own !== undefined) this.follow(node, own, p, code, start, bounded, split);
    let mask = leetMasks[code]!;
    while (mask !== 0) {
      const bit = 31 - Math.clz32(mask);
      mask &= ~(1 << bit);
      const edges = node.edges(97 + bit);
      if (edges !== undefined) this.follow(node, edges, p, 97 + bit, start, bounded, split);
    }
  }

  private report(node: TrieNode, entries: readonly TermEntry[], p: number, start: number, bounded: number, split: number): void {
    const boundaryAfter = this.boundaryAfter(p);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (split !== 0 && node.splits![i]?.has(split) !== true) continue;
      if (entry.boundedEnd && !boundaryAfter) continue;
      const from = entry.boundedStart ? bounded : start;
      if (from !== NONE) this.sink(entry, from, p);
    }
  }

  /** A phrase gap: a soft boundary, or leet punctuation and separators up to the last separator. */
  private crossGap(next: TrieNode, p: number, start: number, bounded: number, split: number): void {
    if (this.soft[p] === 1 && this.kind[p] !== SEPARATOR) {
      // Same position, and the node after a gap has no gap edge of its own: one level deep at most.
      this.visit(next, p, start, bounded, split);
      return;
    }
    const last = this.gapLast[p]!;
    if (last >= 0) this.pending.push(next.id, last + 1, start, bounded, split);
  }

  private follow(
    node: TrieNode,
    edges: readonly TrieEdge[],
    p: number,
    symbol: number,
    start: number,
    bounded: number,
    split: number,
  ): void {
    const { pending } = this;
    const end = this.runEndFrom(p, symbol);
    for (let e = 0; e < edges.length; e++) {
      const edge = edges[e]!;
      const id = edge.node.id;
      if (runMatches(end - p, edge.count)) pending.push(id, end, start, bounded, split);
      // A spelled-out word may run into a next one-letter token (`b a d d`): cut the run there.
      else if (p + edge.count < end && this.soft[p + edge.count] === 1) pending.push(id, p + edge.count, start, bounded, split);
      else if (split === 0 && edge.splittable && end - p < edge.count) this.splitRun(node, edge, p, end, symbol, start, bounded);
      if (edge.node.size === 0) continue;
      for (let k = end - 1, back = 0; k > p && back < MAX_BACKOFF && isAmbiguous(this.code[k]!); k--, back++) {
        if (runMatches(k - p, edge.count)) pending.push(id, k, start, bounded, split);
      }
    }
  }

  /** A run split by one separator (`as s` for a×1 s×2): the two parts must add up to the count exactly. */
  private splitRun(node: TrieNode, edge: TrieEdge, p: number, end: number, symbol: number, start: number, bounded: number): void {
    if (end >= this.n || this.kind[end] !== SEPARATOR || !this.isSplitPoint(end)) return;
    const wanted = edge.count - (end - p);
    let q = end + 1;
    while (q < this.n && q - end - 1 <= wanted && this.kind[q] !== SEPARATOR && this.canBe(q, symbol)) q++;
    this.steps += q - end;
    if (q - end - 1 === wanted) this.pending.push(edge.node.id, q, start, bounded, node.letters + (end - p));
  }

  private canBe(i: number, symbol: number): boolean {
    const code = this.code[i]!;
    if (code === symbol) return true;
    return symbol >= 97 && symbol <= 122 && ((leetMasks[code]! >>> (symbol - 97)) & 1) === 1;
  }

  /** Positions are visited in order, so each run of each letter is read once per scan. */
  private runEndFrom(p: number, symbol: number): number {
    if (this.runEpoch[symbol] === this.epoch && this.runStart[symbol]! <= p && p < this.runEnd[symbol]!) {
      return this.runEnd[symbol]!;
    }
    let q = p;
    while (q < this.n && this.kind[q] !== SEPARATOR && this.canBe(q, symbol)) q++;
    this.steps += q - p;
    this.runEpoch[symbol] = this.epoch;
    this.runStart[symbol] = p;
    this.runEnd[symbol] = q;
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

/**
 * The states waiting for a later position: one per (node, position, split), chained per position so
 * the scan takes them in order. A new state is looked for among the few already queued at its
 * position; a position that collects many (a hostile run where every start reaches the same end) is
 * indexed in an open-addressing hash table instead, so a push never costs more than a few reads.
 */
class PendingStates {
  node = new Int32Array(INITIAL_STATES);
  start = new Int32Array(INITIAL_STATES);
  bounded = new Int32Array(INITIAL_STATES);
  split = new Int32Array(INITIAL_STATES);
  position = new Int32Array(INITIAL_STATES);
  next = new Int32Array(INITIAL_STATES);
  private count = 0;
  private heads = new Int32Array(0);
  private sizes = new Int32Array(0);
  private slots = new Int32Array(INITIAL_SLOTS).fill(-1);
  private hashed = 0;

  reset(n: number): void {
    if (this.heads.length < n + 1) {
      this.heads = new Int32Array(Math.max(n + 1, this.heads.length * 2));
      this.sizes = new Int32Array(this.heads.length);
    }
    this.heads.fill(-1, 0, n + 1);
    this.sizes.fill(0, 0, n + 1);
    // Give back what a hostile message made the table grow to; keep it when it was used lightly.
    if (this.slots.length > INITIAL_SLOTS) this.slots = new Int32Array(INITIAL_SLOTS).fill(-1);
    else if (this.hashed > 0) this.slots.fill(-1);
    this.hashed = 0;
    this.count = 0;
  }

  head(p: number): number {
    return this.heads[p]!;
  }

  /** Queues a state, or lowers the starts of the same state queued before. */
  push(node: number, p: number, start: number, bounded: number, split: number): void {
    const size = this.sizes[p]!;
    let s = -1;
    if (size <= SHORT_BUCKET) {
      for (s = this.heads[p]!; s >= 0; s = this.next[s]!) if (this.node[s] === node && this.split[s] === split) break;
    } else s = this.find(node, p, split);
    if (s >= 0) {
      if (start < this.start[s]!) this.start[s] = start;
      if (bounded < this.bounded[s]!) this.bounded[s] = bounded;
      return;
    }
    s = this.count++;
    if (s === this.node.length) this.grow();
    this.node[s] = node;
    this.position[s] = p;
    this.start[s] = start;
    this.bounded[s] = bounded;
    this.split[s] = split;
    this.next[s] = this.heads[p]!;
    this.heads[p] = s;
    this.sizes[p] = size + 1;
    if (size + 1 === SHORT_BUCKET + 1) for (let t = s; t >= 0; t = this.next[t]!) this.index(t);
    else if (size + 1 > SHORT_BUCKET) this.index(s);
  }

  private slotOf(node: number, p: number, split: number): number {
    const mask = this.slots.length - 1;
    return (Math.imul(node, 0x9e3779b1) ^ Math.imul(p + 1, 0x85ebca77) ^ Math.imul(split, 0xc2b2ae3d)) >>> 0 & mask;
  }

  private find(node: number, p: number, split: number): number {
    const { slots } = this;
    const mask = slots.length - 1;
    for (let h = this.slotOf(node, p, split); ; h = (h + 1) & mask) {
      const s = slots[h]!;
      if (s < 0 || (this.node[s] === node && this.position[s] === p && this.split[s] === split)) return s;
    }
  }

  private index(s: number): void {
    if (++this.hashed * 2 > this.slots.length) this.rehash();
    const { slots } = this;
    const mask = slots.length - 1;
    let h = this.slotOf(this.node[s]!, this.position[s]!, this.split[s]!);
    while (slots[h]! >= 0) h = (h + 1) & mask;
    slots[h] = s;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    for (const s of old) {
      if (s < 0) continue;
      let h = this.slotOf(this.node[s]!, this.position[s]!, this.split[s]!);
      while (this.slots[h]! >= 0) h = (h + 1) & mask;
      this.slots[h] = s;
    }
  }

  private grow(): void {
    const size = this.node.length * 2;
    const grown = (old: Int32Array) => {
      const next = new Int32Array(size);
      next.set(old);
      return next;
    };
    this.node = grown(this.node);
    this.start = grown(this.start);
    this.bounded = grown(this.bounded);
    this.split = grown(this.split);
    this.position = grown(this.position);
    this.next = grown(this.next);
  }
}
