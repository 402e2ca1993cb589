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
});
