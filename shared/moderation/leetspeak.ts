/**
 * Leetspeak: digits and symbols that stand for letters.
 *
 * The normaliser keeps these characters as they are, because most of them are also ordinary digits or
 * punctuation (`bad!`, `@alice`, `3 cats`); the matcher lets each one stand for any letter listed here,
 * so `1` can be either `i` or `l` without folding `kill` and `kiil` together.
 */
export const LEET_LETTERS: Readonly<Record<string, string>> = {
  '@': 'a',
  '4': 'a',
  '8': 'b',
  '3': 'e',
  '€': 'e',
  '6': 'g',
  '9': 'g',
  '1': 'il',
  '!': 'i',
  '|': 'il',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
  '+': 't',
  '2': 'z',
};

/** Indexed by UTF-16 unit: bit `n` is set when the unit can stand for the letter `a + n`. */
export const LEET_MASKS = new Int32Array(0x10000);
for (const [symbol, letters] of Object.entries(LEET_LETTERS)) {
  for (const letter of letters) LEET_MASKS[symbol.charCodeAt(0)]! |= 1 << (letter.charCodeAt(0) - 97);
}
const masks = LEET_MASKS;

/** Bit `n` is set when the UTF-16 unit `code` can stand for the letter `a + n`. */
export function leetMask(code: number): number {
  return masks[code]!;
}
