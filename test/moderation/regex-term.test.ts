import { describe, expect, it } from 'vitest';
import { InvalidPolicyError } from '#shared/moderation/errors.ts';
import { compilePolicy } from '#shared/moderation/matcher.ts';
import { parseModerationPolicy } from '#shared/moderation/policy.ts';
import { MAX_REGEX_PROGRAM_SIZE, compileRegexTerm, regexTermRefusal } from '#shared/moderation/regex-term.ts';

describe('Function: regexTermRefusal()', () => {
  it.each([
    { case: 'a backreference', pattern: '(a)\\1', reason: 'backreferences cannot be matched in linear time' },
    { case: 'a named backreference', pattern: '(?<x>a)\\k<x>', reason: 'backreferences cannot be matched in linear time' },
    { case: 'a lookahead', pattern: 'bad(?=ass)', reason: 'lookahead and lookbehind cannot be matched in linear time' },
    { case: 'a negative lookahead', pattern: 'bad(?!minton)', reason: 'lookahead and lookbehind cannot be matched in linear time' },
    { case: 'a lookbehind', pattern: '(?<=bad)ass', reason: 'lookahead and lookbehind cannot be matched in linear time' },
    { case: 'a negative lookbehind', pattern: '(?<!cl)ass', reason: 'lookahead and lookbehind cannot be matched in linear time' },
    { case: 'a possessive quantifier', pattern: 'a++', reason: 'invalid nested repetition operator' },
    { case: 'an unclosed group', pattern: 'b(ad', reason: 'missing closing )' },
  ])('refuses $case with the reason', ({ pattern, reason }) => {
    // Act
    const refusal = regexTermRefusal(pattern);

    // Assess
    expect(refusal).toContain('not a supported regular expression (RE2 syntax)');
    expect(refusal).toContain(reason);
  });

  it('refuses a pattern whose program is too large to scan fast', () => {
    // Act
    const refusal = regexTermRefusal('(.*a){100}');

    // Assess
    expect(refusal).toMatch(new RegExp(`too complex: \\d+ instructions, at most ${MAX_REGEX_PROGRAM_SIZE}`));
  });

  it.each(['b[o0]+m', 'sh[i1!]+t', '\\d{3} \\d{4}', '(a+)+$', '(a|aa)+$', '(.*a){20}', '\\p{Greek}+'])('accepts %s', (pattern) => {
    // Assess
    expect(regexTermRefusal(pattern)).toBeUndefined();
    expect(compileRegexTerm(pattern).ok).toBe(true);
  });
});

describe('Function: parseModerationPolicy() with regular-expression terms', () => {
  it('refuses a policy with a backreference, naming the term and the reason', () => {
    // Act
    const act = () => parseModerationPolicy({ blocked: ['fine', { term: '(bad)\\1', regex: true }] });

    // Assess
    expect(act).toThrow(InvalidPolicyError);
    expect(act).toThrow(/blocked\[1\]/);
    expect(act).toThrow(/backreferences cannot be matched in linear time/);
  });
});

describe('Function: compilePolicy() with hostile regular expressions', () => {
  /** Milliseconds to scan `size` units of `a` followed by `!`, the input that makes `RegExp` backtrack. */
  const scanTime = (pattern: string, size: number) => {
    const policy = compilePolicy(parseModerationPolicy({ blocked: [{ term: pattern, regex: true }] }));
    const text = `${'a'.repeat(size)}!`;
    policy.scan(text); // warm up
    const started = performance.now();
    policy.scan(text);
    return performance.now() - started;
  };

  it.each(['(a+)+$', '(a|aa)+$', '(a|a?)+$', '(.*a){20}$'])('scans %s in linear time where RegExp backtracks forever', (pattern) => {
    // Act: RegExp needs 2^30 steps for 30 units of the first pattern; RE2 is linear (within the regex work limit).
    const small = scanTime(pattern, 1024);
    const large = scanTime(pattern, 8 * 1024);

    // Assess: 8x the text may cost up to 16x, with room for a loaded machine; exponential would not end.
    expect(large).toBeLessThan(Math.max(16 * small, 500));
  });

  it('finds every match of a regular-expression term with its offsets in the original text', () => {
    // Prepare
    const policy = compilePolicy(parseModerationPolicy({ flagged: [{ term: 'b[o0]+m', regex: true }] }));
    const text = '😀 BOOM and b00m';

    // Act
    const matches = policy.scan(text);

    // Assess
    expect(matches.map((match) => text.slice(match.start, match.end))).toEqual(['BOOM', 'b00m']);
  });
});
