import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonWithExactIntegers } from '#shared/events/exact-integers.ts';

describe('Function: parseJsonWithExactIntegers()', () => {
  it.each([
    { case: '2^53 + 1, which JSON.parse rounds down', digits: '9007199254740993' },
    { case: '9e18 written as a Go int64', digits: '9000000000000000000' },
    { case: 'the int64 maximum', digits: '9223372036854775807' },
    { case: 'a negative int64 beyond -2^53', digits: '-9007199254740993' },
  ])('keeps the digits of $case by JSON Pointer', ({ digits }) => {
    // Act
    const { value, exactIntegers } = parseJsonWithExactIntegers(`{"sendTime":${digits},"seq":0}`);

    // Assess
    expect(exactIntegers).toEqual({ '/sendTime': digits });
    expect(value).toEqual({ sendTime: Number(digits), seq: 0 });
  });

  it('points into arrays and escapes "~" and "/" in keys (RFC 6901)', () => {
    // Act
    const { exactIntegers } = parseJsonWithExactIntegers('{"a/b":[1,{"c~d":12345678901234567890}]}');

    // Assess
    expect(exactIntegers).toEqual({ '/a~1b/1/c~0d': '12345678901234567890' });
  });

  it('records nothing for safe integers, fractions and exponents, and parses exactly as JSON.parse', () => {
    // Prepare
    const text = '{"n":9007199254740991,"f":0.1,"e":1e300,"s":"9007199254740993","l":[null,true]}';

    // Act
    const { value, exactIntegers } = parseJsonWithExactIntegers(text);

    // Assess
    expect(exactIntegers).toEqual({});
    expect(value).toEqual(JSON.parse(text));
  });

  it.each([
    { case: 'the whole text', text: '9007199254740993', pointer: '' },
    { case: 'the first item of an array', text: '[9007199254740993]', pointer: '/0' },
    { case: 'a later item of an array', text: '[1,9007199254740993]', pointer: '/1' },
    { case: 'a member after whitespace and a line break', text: '{"id" :\n\t 9007199254740993}', pointer: '/id' },
    { case: 'a negative member', text: '{"id":-9007199254740993}', pointer: '/id', digits: '-9007199254740993' },
    { case: "a member after a string that holds 19 digits, as OpenIM's operationID does", text: '{"operationID":"1764060300551906281","sendTime":9007199254740993}', pointer: '/sendTime' },
  ])('finds an unsafe integer wherever JSON puts a number: $case', ({ text, pointer, digits = '9007199254740993' }) => {
    expect(parseJsonWithExactIntegers(text).exactIntegers).toEqual({ [pointer]: digits });
  });

  it('records nothing for digits inside strings, with or without a colon before them', () => {
    const text = '{"operationID":"1764060300551906281","text":"at 10:1234567890123456789","seq":0}';
    expect(parseJsonWithExactIntegers(text)).toEqual({ value: JSON.parse(text), exactIntegers: {} });
  });

  it('throws on text that is not JSON, as JSON.parse does', () => {
    expect(() => parseJsonWithExactIntegers('{"sendTime":')).toThrow(SyntaxError);
  });

  it('records the digits of exactly the integers a double cannot hold, of any length (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (integer) => {
        // Prepare
        const digits = integer.toString();

        // Act
        const { exactIntegers } = parseJsonWithExactIntegers(`{"sendTime":${digits}}`);

        // Assess
        expect(exactIntegers).toEqual(Number.isSafeInteger(Number(digits)) ? {} : { '/sendTime': digits });
      }),
      { numRuns: 2_000 },
    );
  });
});
