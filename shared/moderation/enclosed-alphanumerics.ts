/**
 * Enclosed letters and digits that NFKD leaves alone, so the folder maps them itself: negative circled
 * and negative squared capitals (`🅑🅰🅓`, also emoji such as 🅱️), regional indicators read as
 * letters, and the negative, sans-serif and double circled digits. Circled (`ⓐ`), squared (`🄰`),
 * parenthesised (`⒜`) and fullwidth forms decompose under NFKD and need nothing here.
 */
import { FIRST_REGIONAL_INDICATOR, LAST_REGIONAL_INDICATOR } from '#shared/moderation/regional-indicators.ts';

/** `[first, last, what first stands for]`; the rest of each range follows in alphabet order. */
const RANGES: readonly (readonly [number, number, string])[] = [
  [0x1f150, 0x1f169, 'a'], // 🅐 … 🅩 negative circled capitals
  [0x1f170, 0x1f189, 'a'], // 🅰 … 🆉 negative squared capitals
  [FIRST_REGIONAL_INDICATOR, LAST_REGIONAL_INDICATOR, 'a'], // 🇦 … 🇿, when not part of a flag
  [0x2776, 0x277e, '1'], // ❶ … ❾ dingbat negative circled digits
  [0x2780, 0x2788, '1'], // ➀ … ➈ dingbat circled sans-serif digits
  [0x278a, 0x2792, '1'], // ➊ … ➒ dingbat negative circled sans-serif digits
  [0x24f5, 0x24fd, '1'], // ⓵ … ⓽ double circled digits
  [0x24ff, 0x24ff, '0'], // ⓿ negative circled digit zero
  [0x1f10b, 0x1f10c, '0'], // 🄋 🄌 dingbat circled and negative circled sans-serif zero
];

/** The ASCII letter or digit an enclosed character stands for; undefined for any other code point. */
export function enclosedAlphanumeric(codePoint: number): string | undefined {
  for (const [first, last, base] of RANGES) {
    if (codePoint >= first && codePoint <= last) return String.fromCharCode(base.charCodeAt(0) + codePoint - first);
  }
  return undefined;
}
