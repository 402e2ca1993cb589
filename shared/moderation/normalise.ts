/**
 * The normaliser: turns chat text into the folded form the matcher reads, and remembers where each
 * folded unit came from so that a match can be masked in the original.
 *
 * Each code point is folded on its own (`fold-code-point.ts`: compatibility forms, case, marks,
 * invisibles, homoglyphs), except regional indicators: a pair that renders as a flag is one emoji, any
 * other indicator its letter (`regional-indicators.ts`). Every character that is not a letter, a digit or a leet symbol becomes one
 * separator, and a run of separators collapses into one.
 *
 * Digits right after a common word of three letters or more, ending its token, are a number rather
 * than leetspeak (`but7`, `hello123`, `@mike99`): they become `PlainDigit`s, which the matcher reads
 * only as themselves.
 *
 * Last, a separator between two one-character tokens is removed and the unit after it marked as a soft
 * boundary: `b a d`, `b.a.d` and `b-a-d` read `bad`, while `a bad` keeps its space because `bad` is
 * longer than one character. The matcher treats a soft boundary as a word boundary too, so `what a b a d`
 * (folded `whatabad` with soft boundaries inside `abad`) still finds `bad`.
 */
import { isCommonWordAt } from '#shared/moderation/common-words.ts';
import { ASCII_CODE, ASCII_KIND, folded } from '#shared/moderation/fold-code-point.ts';
import { isFlag, isRegionalIndicator } from '#shared/moderation/regional-indicators.ts';
import { SEPARATOR_CODE, UnitKind } from '#shared/moderation/unit-kind.ts';

// Module-level copies, so the hot loop reads local bindings in whatever module format this is bundled.
const SEPARATOR = UnitKind.Separator;
const LEET = UnitKind.Leet;
const DIGIT = UnitKind.Digit;
const PLAIN_DIGIT = UnitKind.PlainDigit;
const LETTER = UnitKind.Letter;
const AT_SIGN = 0x40;
/** Shorter words plus a digit are leetspeak too often (`he11`, `as5`). */
const MIN_WORD_BEFORE_NUMBER = 3;
const asciiCode = ASCII_CODE;
const asciiKind = ASCII_KIND;
const EXCLAMATION = 0x21;

/** A normalised text; index `i` of every array describes UTF-16 unit `i` of `text`. */
export interface NormalisedText {
  /** The folded text: lower-case, leet symbols kept as written, separators as single spaces. */
  readonly text: string;
  readonly kind: Uint8Array;
  /** 1 when a separator between one-character tokens was removed just before this unit. */
  readonly softBoundary: Uint8Array;
  /** Original UTF-16 range `[start, end)` each unit came from (invisibles join the unit before them). */
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/**
 * Reusable, growable storage for one normalised text. The matcher keeps one per compiled policy so a
 * scan allocates nothing; `normalise()` copies it out for callers that keep the result.
 */
export class NormaliseBuffer {
  length = 0;
  code = new Uint16Array(256);
  kind = new Uint8Array(256);
  softBoundary = new Uint8Array(256);
  start = new Int32Array(256);
  end = new Int32Array(256);
  private drop = new Uint8Array(256);
  /**
   * The token being read (since the last separator): where it starts and how many leet units it has,
   * so that `load` knows whether two one-character tokens meet (`spelledOut`) without another pass.
   */
  private tokenFrom = 0;
  private tokenLeet = 0;
  private previousSingle = false;
  /** Two one-character tokens with one separator between them: `joinSpelledOut` has work to do. */
  private spelledOut = false;

  load(text: string): void {
    const length = text.length;
    this.reserve(length + 16);
    let { code, kind, start, end } = this;
    let n = 0;
    let secondOfPair = false; // this regional indicator was paired with the one before, not a flag
    let digitAfterLetter = false; // most lines have none, and skip `markNumbersAfterWords`
    this.tokenFrom = 0;
    this.tokenLeet = 0;
    this.previousSingle = false;
    this.spelledOut = false;
    for (let i = 0; i < length; ) {
      const unit = text.charCodeAt(i);
      if (unit < 0x80) {
        // Fast path: an ASCII character folds to exactly one unit.
        const unitKind = asciiKind[unit]!;
        if (unitKind === SEPARATOR) n = this.separator(n, i, i + 1);
        else {
          if (unitKind === LEET) this.tokenLeet++;
          else if (unitKind === DIGIT && n > 0 && kind[n - 1] === LETTER) digitAfterLetter = true;
          code[n] = asciiCode[unit]!;
          kind[n] = unitKind;
          start[n] = i;
          end[n] = i + 1;
          n++;
        }
        i++;
        continue;
      }
      let codePoint = unit;
      const from = i++;
      if (unit >= 0xd800 && unit <= 0xdbff && i < length) {
        const low = text.charCodeAt(i);
        if (low >= 0xdc00 && low <= 0xdfff) {
          codePoint = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
        if (isRegionalIndicator(codePoint)) {
          const next = text.codePointAt(i) ?? 0;
          if (secondOfPair) secondOfPair = false;
          else if (isRegionalIndicator(next)) {
            if (isFlag(codePoint, next)) {
              n = this.separator(n, from, (i += 2)); // a flag is one emoji
              continue;
            }
            secondOfPair = true;
          }
        }
      }
      const units = folded(codePoint);
      if (units.length === 0) {
        if (n > 0) end[n - 1] = i; // an invisible belongs to the unit before it
        continue;
      }
      if (n + units.length > code.length) {
        // Rare: a code point can expand to many units (NFKD of U+FDFA is 18).
        this.reserve(n + units.length + length - i + 16, n);
        ({ code, kind, start, end } = this);
      }
      for (const packed of units) {
        const unitKind = packed >>> 16;
        if (unitKind === SEPARATOR) n = this.separator(n, from, i);
        else {
          if (unitKind === LEET) this.tokenLeet++;
          else if (unitKind === DIGIT && n > 0 && kind[n - 1] === LETTER) digitAfterLetter = true;
          code[n] = packed & 0xffff;
          kind[n] = unitKind;
          start[n] = from;
          end[n] = i;
          n++;
        }
      }
    }
    this.endToken(n);
    if (n > 0 && code[n - 1] === EXCLAMATION) {
      const textEnd = end[n - 1]!;
      const kept = this.dropTrailingExclamations(n);
      if (kept < n) n = this.separator(kept, textEnd, textEnd);
    }
    if (digitAfterLetter) this.markNumbersAfterWords(n);
    if (this.spelledOut) this.length = this.joinSpelledOut(n);
    else {
      this.softBoundary.fill(0, 0, n);
      this.length = n;
    }
  }

  /**
   * The token `[tokenFrom, n)` ends. It counts as one character as `joinSpelledOut` counts (one unit, or
   * one that is not a leet symbol); trailing `!`s dropped later are leet symbols, so the count holds.
   */
  private endToken(n: number): void {
    if (n <= this.tokenFrom) return; // no token since the last separator
    const units = n - this.tokenFrom;
    const single = units === 1 || units - this.tokenLeet === 1;
    if (single && this.previousSingle) this.spelledOut = true;
    this.previousSingle = single;
    this.tokenFrom = n;
    this.tokenLeet = 0;
  }

  /** Makes the digits that end a token of a common word plus digits `PlainDigit`s (`but7`, `@mike99`). */
  private markNumbersAfterWords(n: number): void {
    const { code, kind } = this;
    for (let i = 1; i < n; i++) {
      if (kind[i] !== DIGIT || kind[i - 1] !== LETTER) continue;
      let wordStart = i - 1;
      while (wordStart > 0 && kind[wordStart - 1] === LETTER) wordStart--;
      let numberEnd = i + 1;
      while (numberEnd < n && kind[numberEnd] === DIGIT) numberEnd++;
      const before = wordStart === 0 ? SEPARATOR : kind[wordStart - 1];
      const tokenStarts = before === SEPARATOR || (code[wordStart - 1] === AT_SIGN && (wordStart === 1 || kind[wordStart - 2] === SEPARATOR));
      let tokenEnd = numberEnd;
      while (tokenEnd < n && code[tokenEnd] === EXCLAMATION) tokenEnd++; // `but7!`: the `!` is punctuation
      const tokenEnds = tokenEnd === n || kind[tokenEnd] === SEPARATOR;
      if (tokenStarts && tokenEnds && i - wordStart >= MIN_WORD_BEFORE_NUMBER && isCommonWordAt(code, wordStart, i)) {
        kind.fill(PLAIN_DIGIT, i, numberEnd);
      }
      i = numberEnd;
    }
  }

  /** Appends a separator covering `[from, to)`, merged into a separator just before it. */
  private separator(n: number, from: number, to: number): number {
    const { code, kind, start, end } = this;
    this.endToken(n);
    if (n > 0 && code[n - 1] === EXCLAMATION) n = this.dropTrailingExclamations(n);
    if (n > 0 && kind[n - 1] === SEPARATOR) {
      end[n - 1] = to;
      return n;
    }
    if (n > 0 && end[n - 1]! < from) from = end[n - 1]!; // a dropped `!` joins this separator
    code[n] = SEPARATOR_CODE;
    kind[n] = SEPARATOR;
    start[n] = from;
    end[n] = to;
    this.tokenFrom = n + 1;
    return n + 1;
  }

  /**
   * `!` at the end of a common word is punctuation (`lol!`, `bad!!`). After a word already written in
   * leetspeak (`m4@ka3sa!`, `h+3zi0t!`) or one no dictionary lists (`dujp!` for `dujpi`) it reads as an
   * `i` (a word whose `!` is punctuation still ends at it). A word made only of `!` stays as it is, so a
   * spelled-out `n k u v !` keeps its last letter. Returns the new unit count; the removed units' range
   * is left for the separator that follows to cover.
   */
  private dropTrailingExclamations(n: number): number {
    const { code, kind } = this;
    let last = n - 1;
    while (last >= 0 && code[last] === EXCLAMATION) last--;
    if (last < 0 || kind[last] === SEPARATOR) return n;
    let first = last;
    for (; first >= 0 && kind[first] !== SEPARATOR; first--) {
      if (kind[first] !== LETTER || code[first]! > 0x7a) return n;
    }
    return isCommonWordAt(code, first + 1, last + 1) ? last + 1 : n;
  }

  /**
   * Removes separators between one-character tokens (`b a d`), marking a soft boundary instead. A token
   * still counts as one character with leet symbols around it, so the `d!` of `b.a.d!` joins too.
   */
  private joinSpelledOut(n: number): number {
    const { code, kind, softBoundary, start, end, drop } = this;
    let dropped = false;
    let previousSingle = false;
    let pending = -1; // a separator right after a one-character token
    for (let a = 0; a < n; ) {
      if (kind[a] === SEPARATOR) {
        drop[a] = 0;
        pending = previousSingle ? a : -1;
        a++;
        continue;
      }
      let b = a;
      let letters = 0;
      while (b < n && kind[b] !== SEPARATOR) if (kind[b++] !== LEET) letters++;
      previousSingle = b - a === 1 || letters === 1;
      if (previousSingle && pending >= 0) {
        drop[pending] = 1;
        dropped = true;
      }
      pending = -1;
      a = b;
    }
    if (!dropped) {
      softBoundary.fill(0, 0, n);
      return n;
    }
    let w = 0;
    let soft = 0;
    for (let r = 0; r < n; r++) {
      if (kind[r] === SEPARATOR && drop[r] === 1) {
        soft = 1;
        continue;
      }
      code[w] = code[r]!;
      kind[w] = kind[r]!;
      start[w] = start[r]!;
      end[w] = end[r]!;
      softBoundary[w] = soft;
      soft = 0;
      w++;
    }
    return w;
  }

  /** Grows the arrays to hold `size` units, keeping the first `keep` units. */
  private reserve(size: number, keep = 0): void {
    if (size <= this.code.length) return;
    const capacity = Math.max(size, this.code.length * 2);
    const grow = <T extends Uint8Array | Uint16Array | Int32Array>(old: T, next: T): T => {
      next.set(old.subarray(0, keep));
      return next;
    };
    this.code = grow(this.code, new Uint16Array(capacity));
    this.kind = grow(this.kind, new Uint8Array(capacity));
    this.softBoundary = new Uint8Array(capacity);
    this.start = grow(this.start, new Int32Array(capacity));
    this.end = grow(this.end, new Int32Array(capacity));
    this.drop = new Uint8Array(capacity);
  }

  /** The folded text as a string. */
  toText(): string {
    let text = '';
    for (let i = 0; i < this.length; i += 4096) {
      text += String.fromCharCode(...this.code.subarray(i, Math.min(i + 4096, this.length)));
    }
    return text;
  }
}

/** Normalises `text` and returns the folded text with the original range of every unit. */
export function normalise(text: string): NormalisedText {
  const buffer = new NormaliseBuffer();
  buffer.load(text);
  const n = buffer.length;
  return {
    text: buffer.toText(),
    kind: buffer.kind.slice(0, n),
    softBoundary: buffer.softBoundary.slice(0, n),
    start: buffer.start.slice(0, n),
    end: buffer.end.slice(0, n),
  };
}
