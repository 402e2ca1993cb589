/**
 * All word and phrase terms of a policy in one trie over run-length-encoded normalised text, walked over
 * a scanned text in one left-to-right pass.
 *
 * An edge is (letter, count): `ass` is a×1 then s×2. A run of `r` text units that can each be the
 * letter (the letter itself or a leet symbol for it) matches count `c` when `r === c` or `r >= max(c, 3)`:
 * three or more is emphasis (`baaad`, `asss`) while exactly two is a different word (`good` is not `god`).
 * Runs are consumed greedily; when a run ends in ambiguous leet units (`1`, `|` = i or l; `!`, i or punctuation) the walk also
 * tries handing up to four of them to the next edge (`ki11` = k, i, ll), and a run that overshoots into
 * a spelled-out neighbour is cut at the soft boundary (`b a d d`). A separator edge (between the
 * words of a phrase) takes one separator, possibly after leet punctuation (`bad! man`), or a soft
 * boundary (`b a d m a n`). A word may be split once by a single separator character (`bas tard`) where
 * its term allows that split (`word-forms.ts` decides which).
 *
 * The nodes are stored in typed arrays (`trie-nodes.ts`); a walk over one text is `trie-walk.ts`.
 */
import { LEET_LETTERS } from '#shared/moderation/leetspeak.ts';
import { BOUNDED_END, BOUNDED_START, ROOT, SPLITTABLE_AFTER, SPLITTABLE_EDGE, TrieNodes } from '#shared/moderation/trie-nodes.ts';
import { TrieWalk } from '#shared/moderation/trie-walk.ts';
import { SEPARATOR_CODE, UnitKind } from '#shared/moderation/unit-kind.ts';

const SEPARATOR = UnitKind.Separator;
const GAP = SEPARATOR_CODE;

/** Per letter `a`..`z`, the leet units that can stand for it. */
const LEET_FOR_LETTER: readonly number[][] = Array.from({ length: 26 }, (_, letter) =>
  Object.entries(LEET_LETTERS)
    .filter(([, letters]) => letters.includes(String.fromCharCode(97 + letter)))
    .map(([symbol]) => symbol.charCodeAt(0)),
);

/** Normalised units of one term (a `NormaliseBuffer` after `load`). */
export interface TermUnits {
  readonly length: number;
  readonly code: Uint16Array;
  readonly kind: Uint8Array;
}

/** What the trie keeps of a term entry: its id and where it needs a word boundary. */
export interface TrieEntry {
  readonly id: number;
  readonly boundedStart: boolean;
  readonly boundedEnd: boolean;
}

export class TermTrie {
  readonly nodes = new TrieNodes();
  /** 1 for every UTF-16 unit that can begin some term (the letter itself or a leet symbol for it). */
  readonly canStart = new Uint8Array(0x10000);
  /** Some entry may start anywhere (allowed words, CJK terms), so no start position can be skipped. */
  anyUnboundedStart = false;
  hasGaps = false;
  hasSplits = false;
  size = 0;

  /**
   * Adds a normalised term. `splits` holds the letter offsets where the term may be split by one
   * separator. Returns false when nothing matchable is left (only separators), so the caller can reject it.
   */
  add(term: TermUnits, entry: TrieEntry, splits: ReadonlySet<number> | null = null): boolean {
    const { code, kind, length } = term;
    let first = 0;
    let last = length;
    while (first < last && kind[first] === SEPARATOR) first++;
    while (last > first && kind[last - 1] === SEPARATOR) last--;
    if (first === last) return false;
    const { nodes } = this;
    let node = ROOT;
    for (let i = first; i < last; ) {
      const symbol = code[i]!;
      let j = i + 1;
      if (symbol !== GAP) while (j < last && code[j] === symbol) j++;
      if (node === ROOT) this.markStart(symbol);
      if (symbol === GAP) this.hasGaps = true;
      if (splits?.has(i - first) === true && node !== ROOT) this.flag(node, SPLITTABLE_AFTER);
      const child = nodes.child(node, symbol, j - i, nodes.letters[node]! + (symbol === GAP ? 0 : j - i));
      for (let k = i + 1; k < j; k++) if (splits?.has(k - first) === true) this.flag(child, SPLITTABLE_EDGE);
      node = child;
      i = j;
    }
    nodes.addRecord(node, entry.id, (entry.boundedStart ? BOUNDED_START : 0) | (entry.boundedEnd ? BOUNDED_END : 0), splits);
    if (!entry.boundedStart) this.anyUnboundedStart = true;
    this.size++;
    return true;
  }

  /** A walk for one text at a time; keep it to reuse its buffers. */
  newWalk(): TrieWalk {
    return new TrieWalk(this);
  }

  /** Gives back the room the node arrays grew into and builds what the walk reads: call when no more terms come, before any walk. */
  trim(): void {
    this.nodes.trim();
  }

  private flag(node: number, flag: number): void {
    this.nodes.flags[node]! |= flag;
    this.hasSplits = true;
  }

  private markStart(symbol: number): void {
    this.canStart[symbol] = 1;
    if (symbol >= 97 && symbol <= 122) for (const leet of LEET_FOR_LETTER[symbol - 97]!) this.canStart[leet] = 1;
  }
}
