/**
 * The term trie's nodes as parallel typed arrays (struct of arrays), so that a 100,000-term policy
 * (about a million nodes with its inflections) costs tens of bytes per node instead of the hundreds
 * that an object, its child lists and edge objects cost, and gives the garbage collector nothing to trace.
 *
 * Each node but the root has exactly one incoming edge, so the edge lives on its child: `symbol` and
 * `count` say what the edge reads. A parent's children are found through an open-addressing hash of
 * (parent, symbol) that points to the first child with that symbol; the others with the same symbol
 * (other repeat counts: `as`, `ass`) follow through `sameSymbol`. The root's children are found in a
 * table indexed by symbol, since every start position looks there.
 *
 * Each node also has a bit set of the symbols its children read (`childSymbols`: one bit per letter
 * `a`..`z`, one for the phrase gap, one for every other symbol), so that the walk can tell from one read
 * that a state leads nowhere on the unit in front of it, without a hash lookup or queueing it. `trim`
 * builds it once the last term is in, at its final size: growing it with the other arrays would make
 * every doubling of a 100,000-term policy's node arrays copy 4 more bytes per node, in one stall.
 *
 * The terms that end at a node are records in a linked list (`entryHead`, `recordNext`): the term
 * entry's id, its boundary rule and where its split offsets are, as a bit set in `splitBits`.
 */
import { SEPARATOR_CODE } from '#shared/moderation/unit-kind.ts';

export const ROOT = 0;
export const NO_NODE = -1;

/** Node flags. */
export const HAS_CHILDREN = 1;
/** Some term allows a split right after this node (at `letters`). */
export const SPLITTABLE_AFTER = 2;
/** Some term allows a split inside the run of this node's incoming edge (`as s`). */
export const SPLITTABLE_EDGE = 4;

/** Record flags: a letter of a spaced script right outside the match denies it. */
export const BOUNDED_START = 1;
export const BOUNDED_END = 2;

/** `childSymbols` bits: 0..25 for the letters `a`..`z`, then the phrase gap, then any other symbol. */
export const GAP_SYMBOL_BIT = 1 << 26;
export const OTHER_SYMBOL_BIT = 1 << 27;

/** The `childSymbols` bit of an edge reading `symbol`. */
export const symbolBit = (symbol: number): number =>
  symbol >= 97 && symbol <= 122 ? 1 << (symbol - 97) : symbol === SEPARATOR_CODE ? GAP_SYMBOL_BIT : OTHER_SYMBOL_BIT;

const INITIAL_NODES = 64;
const INITIAL_RECORDS = 16;

const grownInt32 = (old: Int32Array, size: number, fill = 0) => {
  const next = new Int32Array(size);
  next.set(old.subarray(0, Math.min(old.length, size)));
  if (fill !== 0 && size > old.length) next.fill(fill, old.length);
  return next;
};
const grownUint16 = (old: Uint16Array, size: number) => {
  const next = new Uint16Array(size);
  next.set(old.subarray(0, Math.min(old.length, size)));
  return next;
};
const grownUint8 = (old: Uint8Array, size: number) => {
  const next = new Uint8Array(size);
  next.set(old.subarray(0, Math.min(old.length, size)));
  return next;
};
const grownUint32 = (old: Uint32Array, size: number) => {
  const next = new Uint32Array(size);
  next.set(old.subarray(0, Math.min(old.length, size)));
  return next;
};

export class TrieNodes {
  /** Nodes in use; the root is node 0. */
  size = 1;
  parent = new Int32Array(INITIAL_NODES);
  symbol = new Uint16Array(INITIAL_NODES);
  count = new Uint16Array(INITIAL_NODES);
  /** Letters consumed from the root. */
  letters = new Uint16Array(INITIAL_NODES);
  flags = new Uint8Array(INITIAL_NODES);
  /** The `symbolBit`s of the symbols this node's children read; 0 for a leaf. Built by `trim`. */
  childSymbols = new Int32Array(0);
  sameSymbol = new Int32Array(INITIAL_NODES).fill(NO_NODE);
  entryHead = new Int32Array(INITIAL_NODES).fill(NO_NODE);
  /** Symbol → the root's first child reading it. */
  readonly rootChild = new Int32Array(0x10000).fill(NO_NODE);
  /** (parent, symbol) → first child, for every parent but the root; NO_NODE marks a free slot. */
  private slots = new Int32Array(1024).fill(NO_NODE);
  private indexed = 0;

  records = 0;
  recordEntry = new Int32Array(INITIAL_RECORDS);
  recordFlags = new Uint8Array(INITIAL_RECORDS);
  /** Offset of the record's split bit set in `splitBits`, or NO_NODE when it may not be split. */
  recordSplits = new Int32Array(INITIAL_RECORDS);
  recordNext = new Int32Array(INITIAL_RECORDS);
  splitWords = 0;
  splitBits = new Uint32Array(INITIAL_RECORDS);

  /** The first child of `node` whose edge reads `symbol` (others follow through `sameSymbol`), or NO_NODE. */
  firstChild(node: number, symbol: number): number {
    if (node === ROOT) return this.rootChild[symbol]!;
    if ((this.flags[node]! & HAS_CHILDREN) === 0) return NO_NODE;
    const { slots, parent } = this;
    const mask = slots.length - 1;
    for (let h = slotOf(node, symbol, mask); ; h = (h + 1) & mask) {
      const child = slots[h]!;
      if (child === NO_NODE || (parent[child] === node && this.symbol[child] === symbol)) return child;
    }
  }

  /** The child of `node` reading `symbol` × `count`, made if missing. */
  child(node: number, symbol: number, count: number, letters: number): number {
    const first = this.firstChild(node, symbol);
    for (let c = first; c !== NO_NODE; c = this.sameSymbol[c]!) if (this.count[c] === count) return c;
    const created = this.newNode(node, symbol, count, letters);
    if (first !== NO_NODE) {
      // Chained last, so the slot (or the root's table) keeps pointing at the first and edges are tried in the order added.
      let last = first;
      while (this.sameSymbol[last] !== NO_NODE) last = this.sameSymbol[last]!;
      this.sameSymbol[last] = created;
    } else if (node === ROOT) this.rootChild[symbol] = created;
    else this.index(created);
    this.flags[node]! |= HAS_CHILDREN;
    return created;
  }

  /** Records that the term entry `entry` ends at `node`; `splits` are its letter offsets that may be split. */
  addRecord(node: number, entry: number, flags: number, splits: ReadonlySet<number> | null): void {
    const r = this.records++;
    if (r === this.recordEntry.length) this.growRecords(Math.max(INITIAL_RECORDS, r * 2));
    this.recordEntry[r] = entry;
    this.recordFlags[r] = flags;
    this.recordSplits[r] = splits === null || splits.size === 0 ? NO_NODE : this.splitSet(splits);
    // Appended at the end of the node's list, so entries report in the order they were added.
    this.recordNext[r] = NO_NODE;
    let last = this.entryHead[node]!;
    if (last === NO_NODE) this.entryHead[node] = r;
    else {
      while (this.recordNext[last] !== NO_NODE) last = this.recordNext[last]!;
      this.recordNext[last] = r;
    }
  }

  /** Whether record `r` may be split at letter offset `offset`. */
  maySplitAt(r: number, offset: number): boolean {
    const at = this.recordSplits[r]!;
    if (at === NO_NODE) return false;
    const words = this.splitBits[at]!; // the set's length in words comes first
    return offset >>> 5 < words && ((this.splitBits[at + 1 + (offset >>> 5)]! >>> (offset & 31)) & 1) === 1;
  }

  /**
   * Gives back the room the arrays grew into beyond what the nodes use, and builds `childSymbols`: call
   * after the last term is added and before any walk.
   */
  trim(): void {
    const n = this.size;
    const childSymbols = new Int32Array(n);
    for (let child = 1; child < n; child++) childSymbols[this.parent[child]!]! |= symbolBit(this.symbol[child]!);
    this.childSymbols = childSymbols;
    this.parent = this.parent.slice(0, n);
    this.symbol = this.symbol.slice(0, n);
    this.count = this.count.slice(0, n);
    this.letters = this.letters.slice(0, n);
    this.flags = this.flags.slice(0, n);
    this.sameSymbol = this.sameSymbol.slice(0, n);
    this.entryHead = this.entryHead.slice(0, n);
    this.recordEntry = this.recordEntry.slice(0, this.records);
    this.recordFlags = this.recordFlags.slice(0, this.records);
    this.recordSplits = this.recordSplits.slice(0, this.records);
    this.recordNext = this.recordNext.slice(0, this.records);
    this.splitBits = this.splitBits.slice(0, this.splitWords);
  }

  private newNode(parent: number, symbol: number, count: number, letters: number): number {
    const node = this.size++;
    if (node === this.parent.length) this.growNodes(node * 2);
    this.parent[node] = parent;
    this.symbol[node] = symbol;
    this.count[node] = count;
    this.letters[node] = letters;
    return node;
  }

  private splitSet(splits: ReadonlySet<number>): number {
    const words = (Math.max(...splits) >>> 5) + 1;
    const at = this.splitWords;
    this.splitWords += words + 1;
    if (this.splitWords > this.splitBits.length) this.splitBits = grownUint32(this.splitBits, Math.max(this.splitWords, this.splitBits.length * 2));
    this.splitBits[at] = words;
    for (const offset of splits) this.splitBits[at + 1 + (offset >>> 5)]! |= 1 << (offset & 31);
    return at;
  }

  private index(child: number): void {
    // Rehashed at three quarters full: linear probing still ends after a few slots.
    if (4 * ++this.indexed > 3 * this.slots.length) this.rehash();
    this.place(this.slots, child);
  }

  private place(slots: Int32Array, child: number): void {
    const mask = slots.length - 1;
    let h = slotOf(this.parent[child]!, this.symbol[child]!, mask);
    while (slots[h] !== NO_NODE) h = (h + 1) & mask;
    slots[h] = child;
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2).fill(NO_NODE);
    for (const child of old) if (child !== NO_NODE) this.place(slots, child);
    this.slots = slots;
  }

  private growNodes(size: number): void {
    this.parent = grownInt32(this.parent, size);
    this.symbol = grownUint16(this.symbol, size);
    this.count = grownUint16(this.count, size);
    this.letters = grownUint16(this.letters, size);
    this.flags = grownUint8(this.flags, size);
    this.sameSymbol = grownInt32(this.sameSymbol, size, NO_NODE);
    this.entryHead = grownInt32(this.entryHead, size, NO_NODE);
  }

  private growRecords(size: number): void {
    this.recordEntry = grownInt32(this.recordEntry, size);
    this.recordFlags = grownUint8(this.recordFlags, size);
    this.recordSplits = grownInt32(this.recordSplits, size);
    this.recordNext = grownInt32(this.recordNext, size);
  }
}

const slotOf = (parent: number, symbol: number, mask: number): number => {
  const h = Math.imul(parent ^ Math.imul(symbol + 1, 0x85ebca77), 0x9e3779b1);
  return (h ^ (h >>> 15)) & mask;
};
