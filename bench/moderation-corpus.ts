/**
 * The deterministic corpus for `npm run bench:moderation`: a 500-term blocklist and 24,000 chat lines,
 * 5% of them carrying a blocked term plainly or in one evasion style (or two combined). Everything
 * comes from a seeded PRNG, so every run and every engine sees the same bytes.
 */
import { seededRandom } from './seeded-random.ts';

export const EVASION_STYLES = [
  'plain',
  'spacing',
  'punctuation',
  'fullwidth',
  'zero-width',
  'combining',
  'repeated',
  'leetspeak',
  'homoglyph',
  'combined',
] as const;
export type EvasionStyle = (typeof EVASION_STYLES)[number];

export interface CorpusLine {
  readonly text: string;
  /** The blocked term the line carries, and how it was written; absent on clean lines. */
  readonly term?: string;
  readonly style?: EvasionStyle;
}

export interface Corpus {
  readonly terms: readonly string[];
  readonly lines: readonly CorpusLine[];
  /** Ordinary words that contain a short blocked term (`class` contains `ass`): must never match. */
  readonly innocentWords: readonly string[];
}

/** Short, real-ish terms that hide inside ordinary words (the Scunthorpe problem). */
const SHORT_TERMS = ['ass', 'tit', 'cum', 'hell', 'anal', 'cock', 'rape', 'shit', 'cunt', 'piss', 'crap', 'butt', 'sex', 'damn', 'dick'];

export const INNOCENT_WORDS = [
  'class', 'classic', 'classroom', 'assessment', 'assassin', 'Scunthorpe', 'grass', 'bass', 'passage', 'compass',
  'embassy', 'massive', 'harass', 'assume', 'cassette', 'glasses', 'cocktail', 'peacock', 'hancock', 'therapist',
  'grape', 'drape', 'scrape', 'analyst', 'analysis', 'canal', 'banal', 'shiitake', 'title', 'petition', 'constitution',
  'document', 'cucumber', 'circumstance', 'hello', 'shell', 'seashell', 'Michelle', 'mississippi', 'scrap', 'scrapbook',
  'button', 'butter', 'rebuttal', 'sussex', 'essex', 'sextant', 'damnation', 'dickens', 'Dickinson', 'pushit',
];

const VOCABULARY = (
  'the a an and or but so if then when while because after before about with without from into over under ' +
  'i you he she we they it me him her us them my your our their this that these those here there now today ' +
  'tomorrow yesterday tonight morning evening later soon again always never maybe really very just still also ' +
  'is are was were be been being have has had do does did will would can could should might must shall ' +
  'go going went come coming came see saw look looking watch watched know knew think thought want need like love ' +
  'make made take took give gave get got send sent call called meet meeting work working play playing read write ' +
  'good great nice fine cool sure okay ok thanks thank please sorry yes no yeah nope lol haha hmm wow oh hey hi ' +
  'time day week month year hour minute lunch dinner breakfast coffee tea pizza food movie game music song photo ' +
  'video file link message chat group team project plan idea problem question answer office home school city ' +
  'train bus car flight hotel ticket weather rain sunny cold warm hot weekend holiday party birthday gift friend ' +
  'family mom dad brother sister kids dog cat phone laptop screen update version release deploy server bug fix ' +
  'test review report budget price order delivery package address number email account password login'
).split(' ');

const EMOJI = ['😀', '😂', '👍', '🎉', '❤️', '🙏', '🔥', '😅', '🤔', '👀'];
const ENDINGS = ['', '', '', '.', '!', '?', '!!', '...', ' :)', ' 😂'];

const CONSONANTS = 'bcdfghjklmnprstvwz';
const VOWELS = 'aeiou';
const SYLLABLE_SHAPES = ['CV', 'CVC', 'CVV', 'VC', 'CCV'];

function pseudoWord(random: () => number): string {
  const pick = (alphabet: string) => alphabet[Math.floor(random() * alphabet.length)]!;
  let word = '';
  const syllables = 2 + Math.floor(random() * 2);
  for (let s = 0; s < syllables; s++) {
    const shape = SYLLABLE_SHAPES[Math.floor(random() * SYLLABLE_SHAPES.length)]!;
    for (const slot of shape) word += pick(slot === 'C' ? CONSONANTS : VOWELS);
  }
  return word;
}

function buildTerms(random: () => number): string[] {
  const ordinary = [...VOCABULARY, ...INNOCENT_WORDS.map((word) => word.toLowerCase())];
  const terms = new Set(SHORT_TERMS);
  while (terms.size < 500) {
    const word = pseudoWord(random);
    // A pseudo-word hidden inside an ordinary word would be an accident of this generator, not the
    // Scunthorpe problem the short terms exercise on purpose; skip it for every engine alike.
    if (word.length < 4 || word.length > 9 || ordinary.some((known) => known.includes(word))) continue;
    terms.add(word);
  }
  return [...terms];
}

const FULLWIDTH_OFFSET = 0xff41 - 0x61;
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];
const MARKS = ['\u0336', '\u0301', '\u0308', '\u0332', '\u0335', '\u0303', '\u0317'];
const SEPARATORS = ['.', '-', '_', '*', '/', ',', '·', '~'];
const LEET: Record<string, string[]> = { a: ['4', '@'], e: ['3'], i: ['1', '!'], l: ['1'], o: ['0'], s: ['$', '5'], t: ['7', '+'], b: ['8'], g: ['9'] };
const HOMOGLYPHS: Record<string, string[]> = {
  a: ['а', 'α'], e: ['е', 'ε'], o: ['о', 'ο'], p: ['р', 'ρ'], c: ['с', 'ϲ'], x: ['х', 'χ'], y: ['у'], i: ['і', 'ι'],
  s: ['ѕ'], k: ['κ', 'к'], h: ['һ'], j: ['ј'], n: ['η', 'п'], t: ['τ', 'т'], u: ['υ'], v: ['ν'], w: ['ω'], b: ['ь'], m: ['м'],
};

type Evade = (term: string, random: () => number) => string;

function replaceSome(term: string, table: Record<string, string[]>, random: () => number): string {
  const letters = [...term];
  const candidates = letters.flatMap((letter, i) => (table[letter] ? [i] : []));
  if (candidates.length === 0) return term;
  // At least one replacement, each other candidate with even odds.
  const forced = candidates[Math.floor(random() * candidates.length)]!;
  return letters
    .map((letter, i) => {
      const options = table[letter];
      if (!options || (i !== forced && random() < 0.5)) return letter;
      return options[Math.floor(random() * options.length)]!;
    })
    .join('');
}

const pickOf = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

const EVADE: Record<Exclude<EvasionStyle, 'combined'>, Evade> = {
  plain: (term, random) => (random() < 0.3 ? term.toUpperCase() : random() < 0.5 ? term[0]!.toUpperCase() + term.slice(1) : term),
  spacing: (term) => [...term].join(' '),
  punctuation: (term, random) => [...term].join(pickOf(SEPARATORS, random)),
  fullwidth: (term, random) =>
    [...term].map((letter) => String.fromCharCode(letter.charCodeAt(0) + FULLWIDTH_OFFSET - (random() < 0.3 ? 0x20 : 0))).join(''),
  'zero-width': (term, random) =>
    [...term].map((letter, i) => (i === 0 || random() < 0.3 ? letter : pickOf(INVISIBLES, random) + letter)).join(''),
  combining: (term, random) =>
    [...term].map((letter) => letter + pickOf(MARKS, random) + (random() < 0.3 ? pickOf(MARKS, random) : '')).join(''),
  repeated: (term, random) => {
    const letters = [...term];
    const at = Math.floor(random() * letters.length);
    letters[at] = letters[at]!.repeat(3 + Math.floor(random() * 4));
    return letters.join('');
  },
  leetspeak: (term, random) => replaceSome(term, LEET, random),
  homoglyph: (term, random) => replaceSome(term, HOMOGLYPHS, random),
};

/** Two styles stacked in an order a person would type them (letters first, then what goes between). */
const COMBINATIONS: [Exclude<EvasionStyle, 'combined'>, Exclude<EvasionStyle, 'combined'>][] = [
  ['leetspeak', 'spacing'],
  ['homoglyph', 'zero-width'],
  ['repeated', 'fullwidth'],
  ['leetspeak', 'punctuation'],
  ['homoglyph', 'combining'],
  ['repeated', 'leetspeak'],
];

function chatLine(random: () => number, innocentRate: number): string[] {
  const words: string[] = [];
  const length = 3 + Math.floor(random() * 12);
  for (let i = 0; i < length; i++) {
    const roll = random();
    if (roll < innocentRate) words.push(pickOf(INNOCENT_WORDS, random));
    else if (roll < innocentRate + 0.03) words.push(String(1 + Math.floor(random() * 60)));
    else if (roll < innocentRate + 0.05) words.push(pickOf(EMOJI, random));
    else if (roll < innocentRate + 0.06) words.push(`@${pickOf(VOCABULARY, random)}${Math.floor(random() * 100)}`);
    else words.push(pickOf(VOCABULARY, random));
  }
  if (random() < 0.5) words[0] = words[0]![0]!.toUpperCase() + words[0]!.slice(1);
  if (random() < 0.02) words.push('https://example.com/' + pickOf(VOCABULARY, random));
  return words;
}

export function buildCorpus(lineCount = 24_000, dirtyRate = 0.05, seed = 20_240_611): Corpus {
  const random = seededRandom(seed);
  const terms = buildTerms(random);
  const lines: CorpusLine[] = [];
  const dirtyStyles = EVASION_STYLES;
  for (let n = 0; n < lineCount; n++) {
    const words = chatLine(random, 0.04);
    const ending = pickOf(ENDINGS, random);
    if (random() >= dirtyRate) {
      lines.push({ text: words.join(' ') + ending });
      continue;
    }
    const style = dirtyStyles[n % dirtyStyles.length]!;
    const term = pickOf(terms, random);
    let written: string;
    if (style === 'combined') {
      const [first, second] = pickOf(COMBINATIONS, random);
      written = EVADE[second](EVADE[first](term, random), random);
    } else written = EVADE[style](term, random);
    words.splice(Math.floor(random() * (words.length + 1)), 0, written);
    lines.push({ text: words.join(' ') + ending, term, style });
  }
  return { terms, lines, innocentWords: INNOCENT_WORDS };
}
