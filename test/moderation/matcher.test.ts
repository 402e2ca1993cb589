import { describe, expect, it } from 'vitest';
import { InvalidTermError } from '#shared/moderation/errors.ts';
import { compilePolicy, type TermMatch } from '#shared/moderation/matcher.ts';
import { ModerationPolicy, type ModerationPolicyInput } from '#shared/moderation/policy.ts';

const compile = (input: ModerationPolicyInput) => compilePolicy(ModerationPolicy.parse(input));

/** Each match as `term@original text`, for readable assertions. */
const found = (matches: TermMatch[], text: string) => matches.map((match) => `${match.term}@${text.slice(match.start, match.end)}`);

const SHORT_TERMS = ['bad', 'ass', 'kill', 'shit', 'cunt', 'cock', 'anal', 'rapist', 'tit', 'hell', 'cum', 'god'];

describe('Function: compilePolicy()', () => {
  const policy = compile({ blocked: SHORT_TERMS });

  describe('Method: scan (evasions)', () => {
    it.each([
      // Plain and case
      { case: 'the plain word', text: 'bad', span: 'bad' },
      { case: 'upper case', text: 'BAD', span: 'BAD' },
      { case: 'mixed case in a sentence', text: 'you are BaD.', span: 'BaD' },
      { case: 'a word between punctuation', text: '("bad")', span: 'bad' },
      { case: 'a word after a mention sign', text: 'hey @bad', span: 'bad' },
      { case: 'exclamation marks after the word', text: 'BAD!!!', span: 'BAD' },
      // Spacing and punctuation between letters
      { case: 'spaces between letters', text: 'b a d', span: 'b a d' },
      { case: 'dots between letters', text: 'b.a.d', span: 'b.a.d' },
      { case: 'hyphens between letters', text: 'you are b-a-d', span: 'b-a-d' },
      { case: 'underscores between letters', text: 'b_a_d', span: 'b_a_d' },
      { case: 'mixed separators with spaces', text: 'b . a - d', span: 'b . a - d' },
      { case: 'newlines between letters', text: 'b\na\nd', span: 'b\na\nd' },
      { case: 'spaced letters after a one-letter word', text: 'what a b a d day', span: 'b a d' },
      { case: 'spaced letters before a one-letter word', text: 'b a d i said', span: 'b a d' },
      { case: 'dotted letters ending a sentence', text: 'so b.a.d!', span: 'b.a.d' },
      // Unicode compatibility forms
      { case: 'fullwidth letters', text: 'ｂａｄ', span: 'ｂａｄ' },
      { case: 'fullwidth capitals', text: 'ＢＡＤ', span: 'ＢＡＤ' },
      { case: 'mathematical bold letters', text: '𝐛𝐚𝐝', span: '𝐛𝐚𝐝' },
      { case: 'circled letters', text: 'ⓑⓐⓓ', span: 'ⓑⓐⓓ' },
      // Invisible characters
      { case: 'a zero-width space', text: 'b\u200bad', span: 'b\u200bad' },
      { case: 'zero-width joiners', text: 'b\u200da\u200cd', span: 'b\u200da\u200cd' },
      { case: 'a word joiner and a BOM', text: 'b\u2060a\ufeffd', span: 'b\u2060a\ufeffd' },
      { case: 'a soft hyphen', text: 'ki\u00adll', span: 'ki\u00adll' },
      { case: 'a bidi override', text: 'b\u202ead', span: 'b\u202ead' },
      // Combining marks
      { case: 'strikethrough marks', text: 'b̶a̶d̶', span: 'b̶a̶d̶' },
      { case: 'stacked marks', text: 'b̴̡͎a̷̢d̸͓', span: 'b̴̡͎a̷̢d̸͓' },
      { case: 'accented letters', text: 'bád', span: 'bád' },
      // Repeated letters
      { case: 'one letter repeated', text: 'baaaad', span: 'baaaad' },
      { case: 'every letter repeated', text: 'bbbaaaddd', span: 'bbbaaaddd' },
      { case: 'a doubled letter repeated further', text: 'asssss', span: 'asssss' },
      // Leetspeak
      { case: 'a digit for a letter', text: 'b4d', span: 'b4d' },
      { case: 'an at sign for a', text: '@ss', span: '@ss' },
      { case: 'dollar signs for s', text: 'a$$', span: 'a$$' },
      { case: 'digits only', text: '4$5', span: '4$5' },
      { case: 'one for i', text: 'sh1t', span: 'sh1t' },
      { case: 'symbols for s, i', text: '$h!t', span: '$h!t' },
      { case: 'one for i and for l', text: 'k1ll ki11', span: 'k1ll' },
      { case: 'zero for o', text: 'c0ck', span: 'c0ck' },
      { case: 'plus and seven for t', text: 'ti+ r4p1s7', span: 'ti+' },
      { case: 'an exclamation mark after a leet word', text: 't1t!', span: 't1t' },
      // Homoglyphs
      { case: 'a Cyrillic a', text: 'b\u0430d', span: 'b\u0430d' },
      { case: 'a Greek alpha', text: 'bαd', span: 'bαd' },
      { case: 'Cyrillic capitals', text: 'ВАD', span: 'ВАD' },
      { case: 'Cyrillic c and o', text: 'сосk', span: 'сосk' },
      { case: 'a Greek kappa', text: 'κill', span: 'κill' },
      { case: 'small capitals', text: 'ʙᴀᴅ', span: 'ʙᴀᴅ' },
      // Combined styles
      { case: 'leetspeak with dots', text: 'b.4.d', span: 'b.4.d' },
      { case: 'fullwidth with spaces', text: 'ｂ ａ ｄ', span: 'ｂ ａ ｄ' },
      { case: 'leetspeak with zero-width spaces', text: 'b\u200b4\u200bd', span: 'b\u200b4\u200bd' },
      { case: 'homoglyphs with leetspeak', text: 'ь4ԁ', span: 'ь4ԁ' },
      { case: 'combining marks, leetspeak and case', text: 'B̶4̶D̶', span: 'B̶4̶D̶' },
      { case: 'spaced repeated letters', text: 'b a a a d', span: 'b a a a d' },
      { case: 'fullwidth leetspeak', text: 'ＳＨ１Ｔ', span: 'ＳＨ１Ｔ' },
      { case: 'spaced leetspeak', text: '$ h ! t', span: '$ h ! t' },
      { case: 'repeated homoglyphs', text: 'b\u0430\u0430\u0430d', span: 'b\u0430\u0430\u0430d' },
    ])('finds the term over the whole obfuscated span when written with $case', ({ text, span }) => {
      // Act
      const matches = policy.scan(text);

      // Assess
      expect(matches.length).toBeGreaterThan(0);
      expect(text.slice(matches[0]!.start, matches[0]!.end)).toBe(span);
      expect(matches[0]!.action).toBe('blocked');
    });

    it.each([
      { case: 'class (ass)', text: 'class' },
      { case: 'classic (ass)', text: 'classic' },
      { case: 'assessment (ass)', text: 'assessment' },
      { case: 'assassin (ass): whole words only, so it does not match', text: 'assassin' },
      { case: 'Scunthorpe (cunt)', text: 'Scunthorpe' },
      { case: 'grass (ass)', text: 'grass' },
      { case: 'bass (ass)', text: 'bass' },
      { case: 'passage (ass)', text: 'passage' },
      { case: 'compass (ass)', text: 'compass' },
      { case: 'cocktail (cock)', text: 'cocktail' },
      { case: 'peacock (cock)', text: 'peacock' },
      { case: 'therapist (rapist)', text: 'therapist' },
      { case: 'analyst (anal)', text: 'analyst' },
      { case: 'canal (anal)', text: 'canal' },
      { case: 'shiitake (shit)', text: 'shiitake' },
      { case: 'title (tit)', text: 'title' },
      { case: 'hello (hell)', text: 'hello' },
      { case: 'shell (hell)', text: 'shell' },
      { case: 'document (cum)', text: 'document' },
      { case: 'cucumber (cum)', text: 'cucumber' },
      { case: 'skill (kill)', text: 'skill' },
      { case: 'badminton (bad)', text: 'badminton' },
      { case: 'good (god): a doubled letter is another word', text: 'good' },
      { case: 'as (ass): one letter short', text: 'as' },
      { case: 'kiil (kill): i is not l', text: 'kiil' },
      { case: 'a leet symbol inside a word (cl@ss)', text: 'cl@ss' },
      { case: 'p@ssword (ass)', text: 'p@ssword' },
      { case: 'glasses with a sentence around', text: 'I passed the class assessment with my new glasses.' },
      { case: 'an exclamation mark after a plain word (hel! is not hell)', text: 'hel!' },
      { case: 'Scunthorpe in capitals', text: 'SCUNTHORPE UNITED' },
      { case: 'a fullwidth innocent word', text: 'ｃｌａｓｓ' },
      { case: 'numbers and times', text: 'meet at 5 pm, room 101, 3 4 5' },
    ])('does not match an innocent word when it is $case', ({ text }) => {
      // Act
      const matches = policy.scan(text);

      // Assess
      expect(found(matches, text)).toEqual([]);
    });

    it('reports every occurrence with its own offsets', () => {
      // Prepare
      const text = 'bad, b a d and B4D';

      // Act
      const matches = policy.scan(text);

      // Assess
      expect(found(matches, text)).toEqual(['bad@bad', 'bad@b a d', 'bad@B4D']);
    });

    it('reads a final exclamation mark as i only when the word is already written in leetspeak', () => {
      // Prepare
      const loli = compile({ blocked: ['loli'] });

      // Assess
      expect(found(loli.scan('l0l!'), 'l0l!')).toEqual(['loli@l0l!']);
      expect(loli.scan('lol!')).toEqual([]);
    });

    it('finds CJK terms inside text written without spaces', () => {
      // Prepare
      const cjk = compile({ blocked: ['坏蛋'] });

      // Act
      const matches = cjk.scan('你是坏蛋吗');

      // Assess
      expect(found(matches, '你是坏蛋吗')).toEqual(['坏蛋@坏蛋']);
    });
  });

  describe('Method: scan (phrases)', () => {
    const phrases = compile({ blocked: ['bad man'] });

    it.each([
      { case: 'one space', text: 'a bad man', span: 'bad man' },
      { case: 'several spaces and a newline', text: 'bad  \n man', span: 'bad  \n man' },
      { case: 'punctuation between the words', text: 'bad, man', span: 'bad, man' },
      { case: 'an exclamation mark after the first word', text: 'bad! man', span: 'bad! man' },
      { case: 'every letter spaced out', text: 'b a d m a n', span: 'b a d m a n' },
      { case: 'evasions inside the words', text: 'B4D mаn', span: 'B4D mаn' },
    ])('matches a phrase with $case between its words', ({ text, span }) => {
      // Act
      const matches = phrases.scan(text);

      // Assess
      expect(found(matches, text)).toEqual([`bad man@${span}`]);
    });

    it.each([
      { case: 'the words are joined', text: 'badman' },
      { case: 'the last word continues', text: 'bad mannequin' },
      { case: 'another word sits between', text: 'bad old man' },
    ])('does not match a phrase when $case', ({ text }) => {
      // Assess
      expect(phrases.scan(text)).toEqual([]);
    });
  });

  describe('Method: scan (regular expressions)', () => {
    it('matches a regular-expression term on the normalised text', () => {
      // Prepare
      const regex = compile({ blocked: [{ term: 'bad\\w*', regex: true }] });
      const text = 'ＢＡＤｎｅｓｓ here';

      // Act
      const matches = regex.scan(text);

      // Assess
      expect(found(matches, text)).toEqual(['bad\\w*@ＢＡＤｎｅｓｓ']);
    });

    it('sees separators as single spaces when a pattern spans punctuation', () => {
      // Prepare
      const regex = compile({ flagged: [{ term: '\\d{3} \\d{4}', regex: true }] });
      const text = 'call 555-1234 now';

      // Act
      const matches = regex.scan(text);

      // Assess
      expect(found(matches, text)).toEqual(['\\d{3} \\d{4}@555-1234']);
    });

    it('stops when a pattern can match the empty string', () => {
      // Prepare
      const regex = compile({ blocked: [{ term: 'x*', regex: true }] });

      // Act
      const matches = regex.scan('aaxxa');

      // Assess
      expect(found(matches, 'aaxxa')).toEqual(['x*@xx']);
    });

    it('throws InvalidTermError when a regular expression that skipped the schema is not RE2 syntax', () => {
      // Prepare
      const unchecked: ModerationPolicy = { version: 0, blocked: [{ term: 'b(ad', regex: true }], masked: [], flagged: [], allowed: [] };

      // Act
      const act = () => compilePolicy(unchecked);

      // Assess
      expect(act).toThrow(InvalidTermError);
      expect(act).toThrow(/b\(ad.*not a supported regular expression \(RE2 syntax\): missing closing \)/);
    });
  });

  describe('Method: scan (allowed words)', () => {
    it('drops a match inside an allowed word', () => {
      // Prepare
      const withAllowed = compile({ blocked: [{ term: 'ass', regex: true }], allowed: ['class', 'compass'] });
      const text = 'my class has a compass and an ass';

      // Act
      const matches = withAllowed.scan(text);

      // Assess
      expect(found(matches, text)).toEqual(['ass@ass']);
    });

    it('never matches a term that is also allowed', () => {
      // Prepare
      const both = compile({ blocked: ['bad'], allowed: ['bad'] });

      // Assess
      expect(both.scan('bad b4d b a d')).toEqual([]);
    });

    it('sees through evasions in allowed words too', () => {
      // Prepare
      const emphasised = compile({ blocked: ['god'], allowed: ['good'] });

      // Assess
      expect(emphasised.scan('sooo goooood')).toEqual([]);
      expect(found(emphasised.scan('oh god'), 'oh god')).toEqual(['god@god']);
    });

    it('keeps a match that reaches beyond the allowed word', () => {
      // Prepare
      const phrase = compile({ blocked: ['bad man'], allowed: ['bad'] });

      // Assess
      expect(found(phrase.scan('bad man'), 'bad man')).toEqual(['bad man@bad man']);
    });
  });

  describe('Method: scan (scopes)', () => {
    const scoped = compile({
      blocked: [
        { term: 'alpha', groupIDs: ['g1', 'g2'] },
        { term: 'beta', sessionTypes: [1] },
        { term: 'gamma', groupIDs: ['g1'], sessionTypes: [3] },
        'delta',
      ],
    });
    const text = 'alpha beta gamma delta';

    it.each([
      { case: 'no scope is given', scope: {}, terms: ['delta'] },
      { case: 'the group is listed', scope: { groupID: 'g2', sessionType: 3 }, terms: ['alpha', 'delta'] },
      { case: 'the group and session type are both listed', scope: { groupID: 'g1', sessionType: 3 }, terms: ['alpha', 'gamma', 'delta'] },
      { case: 'the session type is listed', scope: { sessionType: 1 }, terms: ['beta', 'delta'] },
      { case: 'the group is not listed', scope: { groupID: 'g9', sessionType: 3 }, terms: ['delta'] },
    ])('applies only the terms whose scope holds when $case', ({ scope, terms }) => {
      // Act
      const matches = scoped.scan(text, scope);

      // Assess
      expect(matches.map((match) => match.term)).toEqual(terms);
    });
  });

  describe('Method: scan (precedence)', () => {
    const layered = compile({ blocked: ['bad man'], masked: ['bad', 'darn'], flagged: ['man', 'darn it'] });

    it.each([
      { case: 'blocked covers masked and flagged', text: 'bad man', expected: ['blocked:bad man'] },
      { case: 'masked overlaps flagged', text: 'darn it', expected: ['masked:darn'] },
      { case: 'they do not overlap', text: 'bad day, man', expected: ['masked:bad', 'flagged:man'] },
    ])('keeps the strongest action when $case', ({ text, expected }) => {
      // Act
      const matches = layered.scan(text);

      // Assess
      expect(matches.map((match) => `${match.action}:${match.term}`)).toEqual(expected);
    });

    it('reports a term listed under two actions once, as the stronger one', () => {
      // Prepare
      const twice = compile({ blocked: ['bad'], flagged: ['bad'] });

      // Assess
      expect(twice.scan('bad')).toEqual([{ term: 'bad', action: 'blocked', start: 0, end: 3 }]);
    });
  });

  describe('Compilation', () => {
    it.each([
      { case: 'no lists', input: {}, nothing: true },
      { case: 'empty lists', input: { blocked: [], flagged: [], masked: [] }, nothing: true },
      { case: 'only allowed words', input: { allowed: ['class'] }, nothing: true },
      { case: 'one plain term', input: { masked: ['bad'] }, nothing: false },
      { case: 'one regular-expression term', input: { flagged: [{ term: '\\d{3}', regex: true }] }, nothing: false },
    ])('says whether the policy matches nothing ($case), and a policy that matches nothing finds nothing', ({ input, nothing }) => {
      // Act
      const compiled = compile(input);

      // Assess
      expect(compiled.matchesNothing).toBe(nothing);
      if (nothing) expect(compiled.scan('bad 123 class')).toEqual([]);
      else expect(compiled.scan('bad 123 class')).toHaveLength(1);
    });

    it.each([
      { case: 'only punctuation', term: '...' },
      { case: 'only invisible characters', term: '\u200b\u200d' },
    ])('throws InvalidTermError when a term is $case', ({ term }) => {
      // Act
      const act = () => compile({ blocked: [term] });

      // Assess
      expect(act).toThrow(InvalidTermError);
      expect(act).toThrow('nothing is left to match after normalisation');
    });

    it('throws InvalidTermError when a term that skipped the schema is too long', () => {
      // Prepare
      const unchecked: ModerationPolicy = { version: 0, blocked: ['x'.repeat(300)], masked: [], flagged: [], allowed: [] };

      // Assess
      expect(() => compilePolicy(unchecked)).toThrow(/longer than 256 characters/);
    });

    it('keeps the policy version on the compiled policy', () => {
      // Assess
      expect(compile({ version: 7 }).version).toBe(7);
    });

    it('returns no matches when the policy is empty', () => {
      // Assess
      expect(compile({}).scan('anything at all')).toEqual([]);
    });

    it('scans a long hostile run of leet digits in linear time', () => {
      // Prepare
      const leet = compile({ blocked: ['ilililil', 'lili', 'kill'] });
      const text = '1'.repeat(200_000);

      // Act
      const started = performance.now();
      leet.scan(text);
      const elapsed = performance.now() - started;

      // Assess
      expect(elapsed).toBeLessThan(2_000);
    });
  });
});

describe('Function: compilePolicy() and a trailing `!`', () => {
  const policy = compile({ blocked: ['dujpi', 'guewfi', 'bad'] });

  it.each([
    { text: 'so dujp!', span: 'dujp!' },
    { text: 'my guεωfi!', span: 'guεωfi' },
    { text: 'my guewfi!!', span: 'guewfi' },
    { text: 'that was bad!', span: 'bad' },
  ])('finds $span in $text, reading the `!` as an i or as punctuation', ({ text, span }) => {
    // Act
    const matches = policy.scan(text);

    // Assess
    expect(matches.map((match) => text.slice(match.start, match.end))).toContain(span);
  });
});
