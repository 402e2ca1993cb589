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
  'enclosed',
  'greek-cyrillic',
  'split',
  'inflected',
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
  /**
   * Ordinary words and phrases that contain a short blocked term (`class` contains `ass`, `as sign`
   * joins to `assign`): must never match.
   */
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
  'assist', 'class act', 'as sign', 'but ton', 'grapes', 'therapists',
  // A split across two words, a word of its own that looks like an inflection, a username's digits.
  'an al dente', 'et al', 'cocker spaniel', 'dicker', 'titer', '@but7', 'hello123',
];

/**
 * Clean lines in other scripts, which the look-alike tables fold partly or wholly into Latin letters, and
 * flags, whose regional indicators spell letters (🇨🇴🇨🇰 is `cock`, 🇸🇭🇮🇹 is `shit`).
 */
const FOREIGN_LINES = [
  'Привет, как дела? Сегодня хорошая погода.',
  'Мы встретимся завтра утром у метро.',
  'Кот спит на окне, а собака гуляет во дворе.',
  'Сок и хлеб на столе, кофе будет через минуту.',
  'Это очень хорошая книга, спасибо!',
  'Тихо в лесу, только не спит сова.',
  'Καλημέρα σας, τι κάνετε;',
  'Θα πάμε στο σινεμά απόψε;',
  'Ο καιρός είναι πολύ καλός σήμερα.',
  'Ευχαριστώ πολύ για τη βοήθεια!',
  'ΚΑΛΟ ΤΑΞΙΔΙ ΚΑΙ ΚΑΛΗ ΔΙΑΜΟΝΗ',
  'Τα λέμε αύριο στο γραφείο.',
  'Barevdzez, ինչպե՞ս ես։ Շնորհակալություն։',
  'go 🇨🇴🇨🇰 go! what a match',
  'greetings from 🇸🇭🇮🇹 and 🇺🇸',
  'flights 🇬🇧 🇫🇷 🇩🇪 booked 🎉',
  'I like 🅿️ parking near the office 🚗',
  'blood type 🅰️ or 🅱️ ❤️',
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

/** Look-alikes a person would pick, small letters and capitals apart. */
const GREEK_CYRILLIC: Record<string, string[]> = {
  a: ['а', 'α'], b: ['ь', 'Ь'], c: ['с', 'ϲ'], d: ['ԁ'], e: ['е', 'ε', 'є'], h: ['һ', 'н'], i: ['і', 'ι'],
  j: ['ј', 'ϳ'], k: ['κ', 'к'], m: ['м'], n: ['η', 'п'], o: ['о', 'ο', 'σ'], p: ['р', 'ρ'], q: ['ԛ'], r: ['г'],
  s: ['ѕ'], t: ['τ', 'т'], u: ['υ'], v: ['ν', 'ѵ'], w: ['ω', 'ԝ', 'ѡ'], x: ['х', 'χ'], y: ['у', 'γ', 'ү'],
};
const GREEK_CYRILLIC_CAPITALS: Record<string, string[]> = {
  a: ['А', 'Α'], b: ['В', 'Β'], c: ['С'], e: ['Е', 'Ε'], h: ['Н', 'Η'], i: ['І', 'Ι'], j: ['Ј'], k: ['К', 'Κ'],
  m: ['М', 'Μ'], n: ['Ν'], o: ['О', 'Ο'], p: ['Р', 'Ρ'], s: ['Ѕ'], t: ['Т', 'Τ'], x: ['Х', 'Χ'], y: ['У', 'Υ', 'Ү'],
  z: ['Ζ'],
};

/** Enclosed forms, each from the code point of its `a`: one form per term, as a "fancy text" tool writes. */
const ENCLOSED_A = [0x1f150, 0x1f170, 0x1f130, 0x24d0, 0x24b6, 0x249c];
const REGIONAL_INDICATOR_A = 0x1f1e6;
/** Between regional indicators, so that two of them do not render as a flag. */
const INDICATOR_GAPS = [' ', '\u200b', '\u200c'];

const VOWEL = /[aeiou]/;
/** An English inflection: `bastards`, `raped`, `shitting`, `fucker`. */
function inflect(term: string, suffix: string): string {
  if (suffix === 's') return /(s|x|z|sh|ch)$/.test(term) ? `${term}es` : `${term}s`;
  if (term.endsWith('e')) return term.slice(0, -1) + suffix;
  const [last, beforeLast, beforeThat] = [term.at(-1)!, term.at(-2) ?? '', term.at(-3) ?? ''];
  // A short word ending consonant-vowel-consonant doubles its last letter (`shitting`).
  const doubles = term.length <= 4 && !VOWEL.test(last) && !'wxy'.includes(last) && VOWEL.test(beforeLast) && !VOWEL.test(beforeThat);
  return term + (doubles ? last : '') + suffix;
}

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
  enclosed: (term, random) => {
    const letters = [...term].map((letter) => letter.charCodeAt(0) - 0x61);
    if (random() < 1 / 7) {
      return letters.map((index) => String.fromCodePoint(REGIONAL_INDICATOR_A + index)).join(pickOf(INDICATOR_GAPS, random));
    }
    const a = pickOf(ENCLOSED_A, random);
    // Negative squared letters are also emoji, often sent with the emoji presentation selector (🅰️).
    const selector = a === 0x1f170 && random() < 0.5 ? '\ufe0f' : '';
    return letters.map((index) => String.fromCodePoint(a + index) + selector).join('');
  },
  'greek-cyrillic': (term, random) => {
    const table = random() < 0.3 ? GREEK_CYRILLIC_CAPITALS : GREEK_CYRILLIC;
    const written = replaceSome(term, table, random);
    return table === GREEK_CYRILLIC_CAPITALS ? written.toUpperCase() : written;
  },
  split: (term, random) => {
    const at = 1 + Math.floor(random() * (term.length - 1));
    return `${term.slice(0, at)} ${term.slice(at)}`;
  },
  inflected: (term, random) => inflect(term, pickOf(['s', 'ed', 'ing', 'er'], random)),
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
  if (random() < 0.03) return pickOf(FOREIGN_LINES, random).split(' ');
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
