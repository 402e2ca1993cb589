/**
 * Regular-expression terms searched in windows find what RE2 finds over the whole text (for matches up
 * to MAX_REGEX_MATCH_LENGTH), wherever the windows and the slices fall; `$`, `^` and `\b` keep their
 * meaning at window edges; and a text longer than the policy's regex work allows is refused before any
 * work, not scanned for seconds.
 */
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { RegexWorkLimitError } from '#shared/moderation/errors.ts';
import { compilePolicy } from '#shared/moderation/matcher.ts';
import { MAX_REGEX_WORK } from '#shared/moderation/policy-scanner.ts';
import { parseModerationPolicy } from '#shared/moderation/policy.ts';
import { MAX_REGEX_MATCH_LENGTH, RegexWalk, regexWorkPerUnit, windowStride, type RegexTerm } from '#shared/moderation/regex-walk.ts';
import type { TermEntry } from '#shared/moderation/term-entry.ts';

const entry: TermEntry = {
  id: 0,
  term: 'test',
  action: 'blocked',
  rank: 3,
  groupIDs: null,
  sessionTypes: null,
  boundedStart: false,
  boundedEnd: false,
};

/** A term with a small stride, so that short texts already span many windows. */
const termWith = (pattern: string, stride = MAX_REGEX_MATCH_LENGTH): RegexTerm => ({ entry, regex: RE2JS.compile(pattern), stride });

/** Every match `[start, end]` of `term` in `text`, stopping the walk wherever `due` says. */
function windowedMatches(term: RegexTerm, text: string, due?: () => boolean): [number, number][] {
  const walk = new RegexWalk();
  const found: [number, number][] = [];
  walk.begin(text, [term], {}, (_, start, end) => found.push([start, end]));
  while (!walk.run(due && { due }));
  return found;
}

/** RE2's own matches over the whole text, empty ones left out as the scanner leaves them out. */
function wholeMatches(pattern: string, text: string): [number, number][] {
  const matcher = RE2JS.compile(pattern).matcher(text);
  const found: [number, number][] = [];
  while (matcher.find()) if (matcher.end() > matcher.start()) found.push([matcher.start(), matcher.end()]);
  return found;
}

describe('Class: RegexWalk', () => {
  // Bounded patterns: every match is at most a few units long, so windows must find exactly RE2's matches.
  const PATTERNS = ['b[a4]d', 'sh[i1!]+t', '\\bass\\b', '^ab', 'ab$', '(a|aa)+b', 'x{2,5}', '\\d{3} \\d{4}', '[ab]{3}\\b'];
  const PIECES = ['bad', 'b4d', 'sh1it', 'ass', 'class', 'ab', 'aab', 'xxxxxx', '123 4567', 'a', 'b', ' ', 'ba'];

  it('finds exactly the matches RE2 finds over the whole text, wherever the windows and slices fall', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PATTERNS),
        fc.array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 600 }).map((pieces) => pieces.join('')),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (pattern, text, seed) => {
          // Prepare: a due() that says "stop" at random after windows.
          let state = seed | 1;
          const due = () => ((state = (state * 1_103_515_245 + 12_345) | 0) & 3) === 0;

          // Act
          const windowed = windowedMatches(termWith(pattern), text, due);

          // Assess
          expect(windowed).toEqual(wholeMatches(pattern, text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches `$` only at the real end of the text, not at a window end', () => {
    // Prepare: `(a+)+$` is the pattern that froze `RegExp`; a window end inside the `a`s must not read as the end.
    const text = `${'a'.repeat(10 * MAX_REGEX_MATCH_LENGTH)}!`;

    // Act
    const found = windowedMatches(termWith('(a+)+$'), text);

    // Assess
    expect(found).toEqual([]);
    expect(windowedMatches(termWith('(a+)+$'), text.slice(0, -1)).at(-1)?.[1]).toBe(text.length - 1);
  });

  it('does not read a window start as the start of the text or a word', () => {
    // Prepare: a word that runs across where a window starts.
    const text = 'x'.repeat(MAX_REGEX_MATCH_LENGTH * 3 - 2) + 'ass';

    // Act + Assess
    expect(windowedMatches(termWith('^ass'), text)).toEqual([]);
    expect(windowedMatches(termWith('\\bass'), text)).toEqual([]);
    expect(windowedMatches(termWith('ass\\b'), text)).toEqual([[text.length - 3, text.length]]);
  });

  it('cuts a match that runs on past its window at the window end and goes on after it', () => {
    // Prepare
    const text = `bad${'z'.repeat(5 * MAX_REGEX_MATCH_LENGTH)}`;
    const term = termWith('bad.*');

    // Act
    const found = windowedMatches(term, text);

    // Assess: cut to stride + overlap units, and not found again in the windows it covered.
    expect(found[0]).toEqual([0, term.stride + MAX_REGEX_MATCH_LENGTH]);
    expect(found).toHaveLength(1);
  });

  it('gives the event loop a turn between terms, not only between windows', () => {
    // Prepare: two small terms, each searching the short text in one window.
    const walk = new RegexWalk();
    const found: number[] = [];
    const terms = [termWith('bad', 10_000), { ...termWith('ass', 10_000), entry: { ...entry, id: 1 } }];
    walk.begin('bad ass', terms, {}, (id) => found.push(id));

    // Act
    const runs = [walk.run({ due: () => true }), walk.run({ due: () => true })];

    // Assess
    expect(runs).toEqual([false, true]);
    expect(found).toEqual([0, 1]);
  });

  it('gives a larger program smaller windows, and never a stride below the overlap', () => {
    // Assess
    expect(windowStride(7)).toBeGreaterThan(windowStride(252));
    expect(windowStride(10_000)).toBe(MAX_REGEX_MATCH_LENGTH);
    expect(regexWorkPerUnit(252, windowStride(252))).toBeGreaterThan(252);
  });
});

describe('Property: regexTextLimit', () => {
  it('refuses a text longer than the regex terms can scan within MAX_REGEX_WORK, before any work', () => {
    // Prepare
    const policy = compilePolicy(parseModerationPolicy({ blocked: ['badword', { term: '(.*a){50}', regex: true }] }));
    const text = 'a'.repeat(policy.regexTextLimit + 1);

    // Act
    const started = performance.now();
    const act = () => policy.scan(text);

    // Assess
    expect(act).toThrow(RegexWorkLimitError);
    expect(performance.now() - started).toBeLessThan(1_000); // refused, not run
    expect(policy.regexTextLimit).toBeLessThan(MAX_REGEX_WORK / 252);
  });

  it('still finds a hostile pattern in a text at the limit', async () => {
    const policy = compilePolicy(parseModerationPolicy({ blocked: [{ term: '(.*a){50}', regex: true }] }));
    // Prepare: fifty `a`s within MAX_REGEX_MATCH_LENGTH units, so that a match is short enough to be found.
    const text = 'ba '.repeat(Math.floor(policy.regexTextLimit / 3));

    // Act
    const matches = await policy.scanSliced(text);

    // Assess
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.every((match) => match.action === 'blocked')).toBe(true);
  });

  it('has no limit for a policy without regular-expression terms, and a wide one for a small pattern', () => {
    // Assess
    expect(compilePolicy(parseModerationPolicy({ blocked: ['badword'] })).regexTextLimit).toBe(Number.POSITIVE_INFINITY);
    expect(compilePolicy(parseModerationPolicy({ blocked: [{ term: 'sh[i1!]+t', regex: true }] })).regexTextLimit).toBeGreaterThan(256 * 1024);
  });
});
