/**
 * Look-alike characters from other scripts and Latin variants, folded to the ASCII letter they imitate.
 *
 * Most entries come from Unicode's confusables data (`confusable-letters.ts`, generated), the rest
 * from two short hand lists: Latin variants confusables.txt treats as letters of their own
 * (`latin-variants.ts`), and the look-alikes below. Keys are exact characters, looked up before
 * lower-casing: a capital and its small letter can imitate different letters (Greek `Η` looks like H,
 * `η` like n), and a capital whose small letter imitates something must not inherit it (`Σ` is not `σ`).
 */
import { CONFUSABLE_LETTERS } from '#shared/moderation/confusable-letters.ts';
import { LATIN_VARIANTS } from '#shared/moderation/latin-variants.ts';

/**
 * Look-alikes that confusables.txt does not list (or, for `ғ`, lists as `r`) but that evasions and
 * "fancy text" generators use for these letters; `ß` is German's double s, not a look-alike.
 */
export const EXTRA_LOOK_ALIKES: Readonly<Record<string, string>> = {
  // Greek small letters (`ϲ` decomposes to `ς`)
  β: 'b', ζ: 'z', μ: 'u', ς: 'c', χ: 'x', ω: 'w',
  // Cyrillic letters
  п: 'n', Һ: 'h', Ԛ: 'q', ғ: 'f',
  ß: 'ss',
};

/** Every look-alike character and the ASCII it folds to (a letter, `ss`, or `|` for a bar symbol). */
export const LOOK_ALIKES: ReadonlyMap<string, string> = new Map([
  ...Object.entries(CONFUSABLE_LETTERS),
  ...Object.entries(LATIN_VARIANTS),
  ...Object.entries(EXTRA_LOOK_ALIKES),
]);
