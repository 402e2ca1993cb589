/**
 * The states waiting for a later position: one per (node, position, split), chained per position so
 * the walk takes them in order. A new state is looked for among the few already queued at its
 * position; a position that collects many (a hostile run where every start reaches the same end) is
 * indexed in an open-addressing hash table instead, so a push never costs more than a few reads.
 *
 * Once the walk has passed a position its states are recycled (`release`), so storage holds only the
 * states still ahead of the walk, not every state of the text: it stays small and in cache.
 */

/** A position with more pending states than this finds them through a hash table. */
const SHORT_BUCKET = 8;
const INITIAL_STATES = 1024;
const INITIAL_SLOTS = 1024;
const FREE = -1;
/** A slot whose state was released: probes go on past it. */
const RELEASED = -2;

export class PendingStates {
  node = new Int32Array(INITIAL_STATES);
  start = new Int32Array(INITIAL_STATES);
  bounded = new Int32Array(INITIAL_STATES);
  split = new Int32Array(INITIAL_STATES);
  position = new Int32Array(INITIAL_STATES);
  next = new Int32Array(INITIAL_STATES);
  /** States ever used; those below it and not pending are on the recycled list. */
  private count = 0;
  private recycled = -1;
  private heads = new Int32Array(0);
  private sizes = new Int32Array(0);
  private slots = new Int32Array(INITIAL_SLOTS).fill(FREE);
  /** Slots not FREE (in use or RELEASED). */
  private taken = 0;

  reset(n: number): void {
    if (this.heads.length < n + 1) {
      this.heads = new Int32Array(Math.max(n + 1, this.heads.length * 2));
      this.sizes = new Int32Array(this.heads.length);
    }
    this.heads.fill(-1, 0, n + 1);
    this.sizes.fill(0, 0, n + 1);
    // Give back what a hostile message made the table grow to; keep it when it was used lightly.
    if (this.slots.length > INITIAL_SLOTS) this.slots = new Int32Array(INITIAL_SLOTS).fill(FREE);
    else if (this.taken > 0) this.slots.fill(FREE);
    this.taken = 0;
    this.count = 0;
    this.recycled = -1;
  }

  head(p: number): number {
    return this.heads[p]!;
  }

  /** Recycles the states of position `p` (the walk has visited them and never comes back). */
  release(p: number): void {
    let s = this.heads[p]!;
    if (s < 0) return;
    const hashed = this.sizes[p]! > SHORT_BUCKET;
    for (;;) {
      if (hashed) this.unindex(s);
      const next = this.next[s]!;
      if (next < 0) break;
      s = next;
    }
    this.next[s] = this.recycled;
    this.recycled = this.heads[p]!;
    this.heads[p] = -1;
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
    if (this.recycled >= 0) {
      s = this.recycled;
      this.recycled = this.next[s]!;
    } else {
      s = this.count++;
      if (s === this.node.length) this.grow();
    }
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
    return ((Math.imul(node, 0x9e3779b1) ^ Math.imul(p + 1, 0x85ebca77) ^ Math.imul(split, 0xc2b2ae3d)) >>> 0) & mask;
  }

  private find(node: number, p: number, split: number): number {
    const { slots } = this;
    const mask = slots.length - 1;
    for (let h = this.slotOf(node, p, split); ; h = (h + 1) & mask) {
      const s = slots[h]!;
      if (s === FREE) return -1;
      if (s >= 0 && this.node[s] === node && this.position[s] === p && this.split[s] === split) return s;
    }
  }

  private index(s: number): void {
    if (++this.taken * 2 > this.slots.length) this.rehash();
    const { slots } = this;
    const mask = slots.length - 1;
    let h = this.slotOf(this.node[s]!, this.position[s]!, this.split[s]!);
    while (slots[h]! >= 0) h = (h + 1) & mask;
    if (slots[h] === RELEASED) this.taken--; // reused, not newly taken
    slots[h] = s;
  }

  private unindex(s: number): void {
    const { slots } = this;
    const mask = slots.length - 1;
    let h = this.slotOf(this.node[s]!, this.position[s]!, this.split[s]!);
    while (slots[h] !== s) h = (h + 1) & mask;
    slots[h] = RELEASED;
  }

  /** Rebuilds the table without released slots, doubled only when the states in use need it. */
  private rehash(): void {
    const old = this.slots;
    let live = 0;
    for (const s of old) if (s >= 0) live++;
    const size = (live + 1) * 4 > old.length ? old.length * 2 : old.length;
    this.slots = new Int32Array(size).fill(FREE);
    const mask = size - 1;
    for (const s of old) {
      if (s < 0) continue;
      let h = this.slotOf(this.node[s]!, this.position[s]!, this.split[s]!);
      while (this.slots[h] !== FREE) h = (h + 1) & mask;
      this.slots[h] = s;
    }
    this.taken = live + 1; // the state being indexed
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
