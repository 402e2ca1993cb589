/** The kinds of unit in normalised text, shared by the normaliser and the matcher. */

/** What a folded unit is; only `Letter` next to a match edge denies a word boundary. */
export const UnitKind = {
  /** A letter of a script that separates words with spaces (Latin, Cyrillic, Greek, Arabic, ...). */
  Letter: 1,
  /** A letter of a script written without spaces (Han, kana, Thai, ...): never denies a boundary. */
  UnspacedLetter: 2,
  Digit: 3,
  /**
   * A digit of a number written right after a common word (`but7`, `hello123`, `@mike99`): a username's
   * digits, not leetspeak, so `@but7` does not read `butt`.
   */
  PlainDigit: 6,
  /** A leet symbol that is not a digit (`@`, `$`, `!`, `|`, `+`, `€`). */
  Leet: 4,
  /** Whitespace, punctuation, emoji, lone surrogates: folded to one space. */
  Separator: 5,
} as const;
export type UnitKind = (typeof UnitKind)[keyof typeof UnitKind];

export const SEPARATOR_CODE = 0x20;
