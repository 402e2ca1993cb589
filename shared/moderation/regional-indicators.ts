/**
 * Regional indicator symbols (🇦 … 🇿): two in a row that name a region render as its flag, any other
 * one renders as a boxed letter, which is how they spell words past a filter (`🇧 🇦 🇩`).
 *
 * Flags are emoji, not letters: folding `🇨🇴🇨🇰` (Colombia, Cook Islands) to `cock` would block a
 * sports fan. So the normaliser pairs indicators left to right as Unicode's text segmentation does, reads
 * a pair that is a valid flag as one emoji, and every other indicator as its letter. Valid flags are the
 * JavaScript engine's RGI emoji flag sequences, so the list follows its Unicode version.
 */
export const FIRST_REGIONAL_INDICATOR = 0x1f1e6;
export const LAST_REGIONAL_INDICATOR = 0x1f1ff;
const LETTERS = LAST_REGIONAL_INDICATOR - FIRST_REGIONAL_INDICATOR + 1;

export const isRegionalIndicator = (codePoint: number): boolean =>
  codePoint >= FIRST_REGIONAL_INDICATOR && codePoint <= LAST_REGIONAL_INDICATOR;

// `v` (Unicode sets) is the only flag under which a property of strings like this one exists.
const FLAG_SEQUENCE = new RegExp('^\\p{RGI_Emoji_Flag_Sequence}$', 'v');
const FLAGS = new Uint8Array(LETTERS * LETTERS);
for (let first = 0; first < LETTERS; first++) {
  for (let second = 0; second < LETTERS; second++) {
    const pair = String.fromCodePoint(FIRST_REGIONAL_INDICATOR + first, FIRST_REGIONAL_INDICATOR + second);
    FLAGS[first * LETTERS + second] = FLAG_SEQUENCE.test(pair) ? 1 : 0;
  }
}

/** Whether two regional indicators, in this order, render as a flag. */
export function isFlag(first: number, second: number): boolean {
  return FLAGS[(first - FIRST_REGIONAL_INDICATOR) * LETTERS + (second - FIRST_REGIONAL_INDICATOR)] === 1;
}
