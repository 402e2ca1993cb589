/**
 * Folding one code point: enclosed letters NFKD leaves alone (`🅑`, `🅰`, `🇧`), else NFKD (fullwidth,
 * ligatures, mathematical, circled and squared letters), look-alikes (`homoglyphs.ts`) or lower-case,
 * NFKD again, drop combining marks and invisible characters (zero-width, bidi controls, variation
 * selectors, Hangul fillers), then classify each resulting unit.
 * Folding is pure per code point, so each one is computed once per process and cached.
 */
import { enclosedAlphanumeric } from '#shared/moderation/enclosed-alphanumerics.ts';
import { LOOK_ALIKES } from '#shared/moderation/homoglyphs.ts';
import { leetMask } from '#shared/moderation/leetspeak.ts';
import { SEPARATOR_CODE, UnitKind } from '#shared/moderation/unit-kind.ts';

const INVISIBLE = /^[\p{M}\p{Cf}\p{Default_Ignorable_Code_Point}]$/u;
const LETTER = /^\p{L}$/u;
const UNSPACED_SCRIPTS = ['Han', 'Hiragana', 'Katakana', 'Thai', 'Lao', 'Khmer', 'Myanmar'];
const UNSPACED_LETTER = new RegExp(`^[${UNSPACED_SCRIPTS.map((script) => `\\p{Script=${script}}`).join('')}]$`, 'u');
const DECIMAL_DIGIT = /^\p{Nd}$/u;

// A folded code point is a list of units packed as `code | kind << 16`; empty when it is dropped.
export type Folded = readonly number[];
const pack = (code: number, kind: UnitKind): number => code | (kind << 16);
const SEPARATOR_UNIT = pack(SEPARATOR_CODE, UnitKind.Separator);

function classify(char: string): number[] {
  const code = char.codePointAt(0)!;
  let kind: UnitKind;
  if (code >= 0x61 && code <= 0x7a) kind = UnitKind.Letter;
  else if (code >= 0x30 && code <= 0x39) kind = UnitKind.Digit;
  else if (code < 0x10000 && leetMask(code) !== 0) kind = UnitKind.Leet;
  else if (LETTER.test(char)) kind = UNSPACED_LETTER.test(char) ? UnitKind.UnspacedLetter : UnitKind.Letter;
  else if (DECIMAL_DIGIT.test(char)) kind = UnitKind.Digit;
  else return [SEPARATOR_UNIT];
  const units: number[] = [];
  for (let i = 0; i < char.length; i++) units.push(pack(char.charCodeAt(i), kind));
  return units;
}

function foldCodePoint(codePoint: number): Folded {
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return [SEPARATOR_UNIT]; // lone surrogate
  const enclosed = enclosedAlphanumeric(codePoint);
  if (enclosed !== undefined) return classify(enclosed);
  let cased = '';
  for (const char of String.fromCodePoint(codePoint).normalize('NFKD')) {
    cased += LOOK_ALIKES.get(char) ?? char.toLowerCase();
  }
  const units: number[] = [];
  for (const char of cased.normalize('NFKD')) {
    if (!INVISIBLE.test(char)) units.push(...classify(char));
  }
  return units;
}

// Folding is pure per code point, so each one is computed once per process.
/** Folded code of each ASCII character (every ASCII character folds to exactly one unit). */
export const ASCII_CODE = new Uint16Array(128);
/** Kind of each ASCII character's unit. */
export const ASCII_KIND = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const packed = foldCodePoint(code)[0]!;
  ASCII_CODE[code] = packed & 0xffff;
  ASCII_KIND[code] = packed >>> 16;
}

const bmpCache: (Folded | undefined)[] = new Array(0x10000);
const astralCache = new Map<number, Folded>();
const MAX_ASTRAL_CACHE = 4096;

/** The units `codePoint` folds to, packed as `code | kind << 16`; [] when it is dropped. */
export function folded(codePoint: number): Folded {
  if (codePoint < 0x10000) return (bmpCache[codePoint] ??= foldCodePoint(codePoint));
  let units = astralCache.get(codePoint);
  if (units === undefined) {
    // Hostile text could name a million distinct astral code points; keep the cache bounded.
    if (astralCache.size >= MAX_ASTRAL_CACHE) astralCache.clear();
    astralCache.set(codePoint, (units = foldCodePoint(codePoint)));
  }
  return units;
}
