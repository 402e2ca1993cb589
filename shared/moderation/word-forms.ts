/**
 * The other ways a one-word English term is written that a filter must see: its inflections
 * (`bastards`, `raped`, `shitting`, `fucker`) and the word split by one separator (`bas tard`, `f uck`).
 *
 * Both are refused where ordinary text would produce them, decided by the list of common words:
 * - an `-er` form that is a common word is a different word (`butter` is not `butt` + `er`), and so is
 *   a rarer word that the dictionary lists as rarer than the term (`cocker`, `dicker`: `er-words.ts`),
 *   while `fucker` (as common as `fuck`) is its agent noun; plural, `-ed` and `-ing` forms are
 *   inflections of the term whatever their frequency (`bastards`, `raped`);
 * - a split whose two pieces are both common words is two words (`as sign`, `he'll`, `let's hit`).
 * Splits inside a word keep the term's whole-word rule: `therapist`, `class act`, `Essex` stay clean.
 */
import { isCommonWord } from '#shared/moderation/common-words.ts';
import { OWN_ER_WORDS } from '#shared/moderation/er-words.ts';

/** Only plain English words have English inflections and a list of common pieces to check against. */
const ENGLISH_WORD = /^[a-z]{3,}$/;
const VOWELS = 'aeiou';

const isVowel = (letter: string | undefined) => letter !== undefined && VOWELS.includes(letter);

/** Short words ending consonant-vowel-consonant double the consonant before a suffix (`shitting`). */
function doublesLastLetter(word: string): boolean {
  const [last, beforeLast, beforeThat] = [word.at(-1), word.at(-2), word.at(-3)];
  return word.length <= 4 && !isVowel(last) && !'wxy'.includes(last!) && isVowel(beforeLast) && !isVowel(beforeThat);
}

/** `word` with a suffix that starts with a vowel (`-ed`, `-ing`, `-er`), spelled the English way. */
function withVowelSuffix(word: string, suffix: string): string {
  // A silent e makes way for the suffix (`raped`, `raping`); a doubled one stays before -ing (`peeing`).
  if (word.endsWith('e')) return suffix === 'ing' && !word.endsWith('ee') ? word.slice(0, -1) + suffix : word + suffix.slice(word.endsWith('ee') && suffix === 'ing' ? 0 : 1);
  return word + (doublesLastLetter(word) ? word.at(-1)! : '') + suffix;
}

/**
 * The inflected forms of a lower-case word term (without the word itself); none for words that are not
 * plain English words of three letters or more.
 */
export function inflectedForms(word: string): string[] {
  if (!ENGLISH_WORD.test(word)) return [];
  const plural = /(s|x|z|sh|ch)$/.test(word) ? `${word}es` : `${word}s`;
  const agent = withVowelSuffix(word, 'er');
  const forms = [plural, withVowelSuffix(word, 'ed'), withVowelSuffix(word, 'ing')];
  if (!isCommonWord(agent) && !OWN_ER_WORDS.has(agent)) forms.push(agent);
  return forms;
}

/**
 * The letter offsets where a lower-case word term may be split by one separator: every offset except
 * those that cut it into two common words. Empty for words that are not plain English words.
 */
export function splitOffsets(word: string): ReadonlySet<number> {
  const offsets = new Set<number>();
  if (!ENGLISH_WORD.test(word)) return offsets;
  for (let i = 1; i < word.length; i++) {
    if (!(isCommonWord(word.slice(0, i)) && isCommonWord(word.slice(i)))) offsets.add(i);
  }
  return offsets;
}
