import { describe, expect, it } from 'vitest';
import { normalise } from '#shared/moderation/normalise.ts';
import { UnitKind } from '#shared/moderation/unit-kind.ts';

/** The original text each normalised unit maps back to. */
const sources = (text: string) => {
  const result = normalise(text);
  return Array.from({ length: result.text.length }, (_, i) => text.slice(result.start[i], result.end[i]));
};

describe('Function: normalise()', () => {
  it.each([
    { case: 'upper case', input: 'BaD', text: 'bad' },
    { case: 'fullwidth letters', input: 'ｂａｄ', text: 'bad' },
    { case: 'fullwidth capitals and digits', input: 'ＢＡＤ１', text: 'bad1' },
    { case: 'mathematical bold letters', input: '𝐛𝐚𝐝', text: 'bad' },
    { case: 'circled letters', input: 'ⓑⓐⓓ', text: 'bad' },
    { case: 'a ligature', input: 'ﬁne', text: 'fine' },
    { case: 'precomposed accents', input: 'bádé', text: 'bade' },
    { case: 'combining marks', input: 'b̶a̶d̶', text: 'bad' },
    { case: 'stacked combining marks', input: 'b̴̡͎a̷̢d̸͓', text: 'bad' },
    { case: 'zero-width characters', input: 'b\u200ba\u200c\u200dd', text: 'bad' },
    { case: 'word joiner, BOM and soft hyphen', input: 'b\u2060a\ufeffd\u00ad', text: 'bad' },
    { case: 'bidi controls and variation selectors', input: 'b\u202ea\ufe0fd', text: 'bad' },
    { case: 'a Hangul filler', input: 'b\u3164ad', text: 'bad' },
    { case: 'Cyrillic look-alikes', input: 'Васк', text: 'back' },
    { case: 'Greek look-alikes', input: 'ΒΑΝΚ κορ', text: 'bank kop' },
    { case: 'small capitals', input: 'ʙᴀᴅ', text: 'bad' },
    { case: 'sharp s', input: 'Straße', text: 'strasse' },
    { case: 'punctuation runs', input: 'hi,   there!!', text: 'hi there ' },
    { case: 'leet symbols inside a word', input: 'sh!t @ss a$$', text: 'sh!t @ss a$$' },
    { case: 'spaced-out letters', input: 'b a d', text: 'bad' },
    { case: 'letters separated by punctuation', input: 'b.a-d', text: 'bad' },
    { case: 'a spaced-out word after a one-letter word', input: 'a b a d day', text: 'abad day' },
    { case: 'a one-letter word before a longer one', input: 'a bad day', text: 'a bad day' },
    { case: 'a trailing exclamation mark on a plain word', input: 'lol! ok!!', text: 'lol ok ' },
    { case: 'a trailing exclamation mark on a leet word', input: 'h4t!', text: 'h4t!' },
    { case: 'a lone surrogate', input: 'ab\ud800cd', text: 'ab cd' },
    { case: 'CJK text', input: '你好 世界', text: '你好 世界' },
  ])('folds $case', ({ input, text }) => {
    // Act
    const result = normalise(input);

    // Assess
    expect(result.text).toBe(text);
  });

  it('maps every unit back to the original characters it came from', () => {
    // Assess
    expect(sources('Ｂ\u200bа̶D')).toEqual(['Ｂ\u200b', 'а̶', 'D']);
    expect(sources('b . a . d')).toEqual(['b', 'a', 'd']);
    expect(sources('𝐛𝐚𝐝!')).toEqual(['𝐛', '𝐚', '𝐝', '!']);
    expect(sources('𠀀x')).toEqual(['𠀀', '𠀀', 'x']);
  });

  it('marks a soft boundary where a separator between one-character tokens was removed', () => {
    // Act
    const result = normalise('x b a d');

    // Assess
    expect(result.text).toBe('xbad');
    expect([...result.softBoundary]).toEqual([0, 1, 1, 1]);
  });

  it('classifies units so that only spaced-script letters deny a word boundary', () => {
    // Act
    const result = normalise('a1@ 你');

    // Assess
    expect([...result.kind]).toEqual([
      UnitKind.Letter,
      UnitKind.Digit,
      UnitKind.Leet,
      UnitKind.Separator,
      UnitKind.UnspacedLetter,
    ]);
  });

  it('returns empty arrays when the text is empty or only invisible characters', () => {
    // Assess
    expect(normalise('').text).toBe('');
    expect(normalise('\u200b\u200d').start).toHaveLength(0);
  });

  it('keeps the original ranges ordered and inside the text when a code point expands to many units', () => {
    // Prepare
    const input = 'x\ufdfay'.repeat(50);

    // Act
    const result = normalise(input);

    // Assess
    expect(result.text.length).toBeGreaterThan(input.length);
    for (let i = 0; i < result.text.length; i++) {
      expect(result.start[i]).toBeLessThan(result.end[i]!);
      expect(result.end[i]).toBeLessThanOrEqual(input.length);
      if (i > 0) expect(result.start[i]).toBeGreaterThanOrEqual(result.start[i - 1]!);
    }
  });

  describe('enclosed alphanumerics', () => {
    it.each([
      { case: 'negative circled capitals', input: '🅑🅐🅓', text: 'bad' },
      { case: 'negative squared capitals', input: '🅱🅰🅳', text: 'bad' },
      { case: 'negative squared capitals as emoji', input: '🅱️🅰️🅳', text: 'bad' },
      { case: 'squared capitals', input: '🄱🄰🄳', text: 'bad' },
      { case: 'circled capitals and small letters', input: 'Ⓑⓐⓓ', text: 'bad' },
      { case: 'parenthesised small letters', input: 'ok ⒝⒜⒟', text: 'ok bad ' },
      { case: 'the last letters of each range', input: '🅩🆉', text: 'zz' },
      { case: 'dingbat circled digits', input: '❶➁➌⓸⓿🄋', text: '123400' },
    ])('folds $case', ({ input, text }) => {
      // Act
      const result = normalise(input);

      // Assess
      expect(result.text).toBe(text);
    });

    it('maps an enclosed letter back to both of its UTF-16 units and its emoji selector', () => {
      // Assess
      expect(sources('🅱️a')).toEqual(['🅱️', 'a']);
    });
  });

  describe('regional indicators', () => {
    it.each([
      { case: 'spaced out', input: '🇧 🇦 🇩', text: 'bad' },
      { case: 'kept apart by zero-width characters', input: '🇧\u200b🇦\u200c🇩', text: 'bad' },
      { case: 'a pair that is no flag', input: '🇫🇺', text: 'fu' },
      { case: 'a lone indicator after a flag', input: '🇧🇦🇩', text: ' d' },
      // Paired left to right, as Unicode segments them: F+C is no flag, so C+O (Colombia) is never tried.
      { case: 'an odd run whose first pair is no flag', input: '🇫🇨🇴', text: 'fco' },
    ])('reads indicators that render as letters as letters when $case', ({ input, text }) => {
      // Act
      const result = normalise(input);

      // Assess
      expect(result.text).toBe(text);
    });

    it.each([
      { case: 'Colombia and Cook Islands (cock)', input: 'go 🇨🇴🇨🇰 go', text: 'go go' },
      { case: 'Saint Helena and Italy (shit)', input: '🇸🇭🇮🇹', text: ' ' },
      { case: 'a flag glued to words', input: 'hi🇺🇸there', text: 'hi there' },
    ])('reads a pair that renders as a flag as one emoji: $case', ({ input, text }) => {
      // Act
      const result = normalise(input);

      // Assess
      expect(result.text).toBe(text);
    });

    it('maps a flag back to both of its indicators', () => {
      // Act
      const result = normalise('ab🇺🇸cd');

      // Assess
      expect(result.text).toBe('ab cd');
      expect([...result.start]).toEqual([0, 1, 2, 6, 7]);
      expect([...result.end]).toEqual([1, 2, 6, 7, 8]);
    });
  });

  describe('Greek and Cyrillic look-alikes', () => {
    it.each([
      { case: 'Greek small letters', input: 'αικνορστυηγ', text: 'aikvopotuny' },
      { case: 'Greek capitals', input: 'ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ', text: 'abezhikmnoptyx' },
      { case: 'Cyrillic small letters', input: 'аеорсухіјѕһԁԛԝ', text: 'aeopcyxijshdqw' },
      { case: 'Cyrillic letters drawn like small capitals', input: 'вкмнтгь', text: 'bkmhtrb' },
      { case: 'Cyrillic capitals', input: 'АВЕКМНОРСТХЅЈ', text: 'abekmhopctxsj' },
      { case: 'accented look-alikes', input: 'άόїѐ', text: 'aoie' },
      { case: 'Armenian and Cherokee look-alikes', input: 'օսᎪᏟ', text: 'ouac' },
    ])('folds $case', ({ input, text }) => {
      // Act
      const result = normalise(input);

      // Assess
      expect(result.text).toBe(text);
    });

    it('reads a capital I look-alike as i, not as the l that confusables.txt files it under', () => {
      // Assess
      expect(normalise('ΚΙLL').text).toBe('kill');
      expect(normalise('SHІT').text).toBe('shit');
    });

    it('does not give a capital the look-alike of its small letter', () => {
      // Assess: `σ` looks like o, `Σ` does not; `п` looks like n, `П` does not.
      expect(normalise('Σσ').text).toBe('σo');
      expect(normalise('Пп').text).toBe('пn');
    });

    it('leaves letters that look like no Latin letter in their own script', () => {
      // Assess
      expect(normalise('Привет, друг').text).toBe('пpиbet дpyr');
      expect(normalise('λόγος').text).toBe('λoyoc');
    });

    it('keeps a letter that imitates a digit a letter', () => {
      // Act: confusables.txt files `З` under 3 and `б` under 6; folding them would make them leet symbols.
      const result = normalise('Зб');

      // Assess
      expect(result.text).toBe('зб');
    });
  });

  describe('symbols', () => {
    it('reads a vertical-bar symbol as the ambiguous leet bar and a multiplication sign as x', () => {
      // Assess
      expect(normalise('∣×').text).toBe('|x');
    });
  });
});

describe('Function: normalise() and numbers after words', () => {
  it.each([
    { text: 'but7', plain: '7' },
    { text: '@but7', plain: '7' },
    { text: 'hello123!', plain: '123' },
  ])('reads the digits of $text as a number, not leetspeak', ({ text, plain }) => {
    // Act
    const folded = normalise(text);

    // Assess
    const digits = [...folded.text].filter((_, i) => folded.kind[i] === UnitKind.PlainDigit).join('');
    expect(digits).toBe(plain);
  });

  it.each(['he11', 'a55', 'bu77', 'sh1t', 'xyzzy7', 'but7x', 'x@but7'])('keeps the digits of %s leetspeak: a short or unknown word, or not a word plus a number', (text) => {
    // Act
    const folded = normalise(text);

    // Assess
    expect([...folded.kind].includes(UnitKind.PlainDigit)).toBe(false);
  });
});

describe('Function: normalise() and a trailing `!`', () => {
  it.each([
    { text: 'lol!', folded: 'lol' },
    { text: 'bad!!', folded: 'bad' },
    { text: 'dujp!', folded: 'dujp!' },
    { text: 'sh1t!', folded: 'sh1t!' },
  ])('folds $text to $folded: punctuation after a common word, a possible i after any other', ({ text, folded }) => {
    // Assess
    expect(normalise(text).text.trimEnd()).toBe(folded);
  });
});
