import { describe, expect, it } from 'vitest';
import { compilePolicy, type TermMatch } from '#shared/moderation/matcher.ts';
import { ModerationPolicy, type ModerationPolicyInput } from '#shared/moderation/policy.ts';
import { inflectedForms, splitOffsets } from '#shared/moderation/word-forms.ts';
import { INNOCENT_WORDS, buildCorpus } from '../../bench/moderation-corpus.ts';

const compile = (input: ModerationPolicyInput) => compilePolicy(ModerationPolicy.parse(input));
const found = (matches: TermMatch[], text: string) => matches.map((match) => `${match.term}@${text.slice(match.start, match.end)}`);

/** Short terms that hide inside ordinary words and word pairs, and longer ones worth splitting. */
const TERMS = ['ass', 'rape', 'sex', 'tit', 'cock', 'butt', 'shit', 'hell', 'fuck', 'bastard', 'bitch', 'cunt', 'piss', 'anal', 'kill', 'penis'];

describe('Function: inflectedForms()', () => {
  it.each([
    { word: 'bastard', forms: ['bastards', 'bastarded', 'bastarding', 'bastarder'] },
    { word: 'bitch', forms: ['bitches', 'bitched', 'bitching', 'bitcher'] },
    { word: 'rape', forms: ['rapes', 'raped', 'raping'] },
    { word: 'wank', forms: ['wanks', 'wanked', 'wanking', 'wanker'] },
    { word: 'shit', forms: ['shits', 'shitted', 'shitting', 'shitter'] },
    { word: 'fuck', forms: ['fucks', 'fucked', 'fucking', 'fucker'] },
  ])('spells the inflections of $word the English way', ({ word, forms }) => {
    // Assess
    expect(inflectedForms(word)).toEqual(forms);
  });

  it('leaves out an -er form that is a common word of its own', () => {
    // Assess: butter is not butt + er.
    expect(inflectedForms('butt')).toEqual(['butts', 'butted', 'butting']);
  });

  it.each([
    { word: 'cock', own: 'cocker' },
    { word: 'dick', own: 'dicker' },
    { word: 'crap', own: 'crapper' },
    { word: 'retard', own: 'retarder' },
  ])('leaves out $own, which the dictionary lists as a rarer word than $word', ({ word, own }) => {
    // Assess: rarer than the term means a word of its own (a spaniel, haggling); `fucker` is as common as `fuck`.
    expect(inflectedForms(word)).not.toContain(own);
    expect(inflectedForms(word)).toContain(`${word}s`);
  });

  it.each(['ok', 'fu*k', 'бляд'])('gives no forms for %s, which is not a plain English word of three letters or more', (word) => {
    // Assess
    expect(inflectedForms(word)).toEqual([]);
  });
});

describe('Function: splitOffsets()', () => {
  it('allows every split but the ones into two common words', () => {
    // Assess: `pen is` and `as s` are two words; `p enis`, `pe nis`, `peni s` are not.
    expect([...splitOffsets('penis')]).toEqual([1, 2, 4]);
    expect([...splitOffsets('ass')]).toEqual([1]);
    expect([...splitOffsets('hell')]).toEqual([1, 3]);
  });
});

describe('Function: compilePolicy() with inflections and split words', () => {
  const policy = compile({ blocked: TERMS });

  it.each([
    { text: 'you bastards', span: 'bastards' },
    { text: 'he got raped', span: 'raped' },
    { text: 'stop shitting me', span: 'shitting' },
    { text: 'what a fucker', span: 'fucker' },
    { text: 'B4ST4RDS!', span: 'B4ST4RDS' },
    { text: 'fuuuucking hell', span: 'fuuuucking' },
    { text: 'those bitches', span: 'bitches' },
    { text: 'you bas tard', span: 'bas tard' },
    { text: 'f uck off', span: 'f uck' },
    { text: 'sh it happens', span: 'sh it' },
    { text: 'b4s-t4rd', span: 'b4s-t4rd' },
    { text: 'a ss', span: 'a ss' },
    { text: 'bi tch', span: 'bi tch' },
  ])('matches $text', ({ text, span }) => {
    // Act
    const matches = policy.scan(text);

    // Assess
    expect(matches.map((match) => text.slice(match.start, match.end))).toContain(span);
  });

  it.each([
    'assist', 'class act', 'as sign', 'Essex', 'therapist', 'grape', 'cockpit', 'butterfly', 'butter', 'shitake', 'shiitake',
    "he'll be fine", "let's hit the road", 'the pen is red', 'but t-shirts', 'call 4 55', 'lol i', 'lol 1', 'cocktail', 'hello', 'skilled',
    'sh, it is', 'bas  tard', 'title', 'petition', 'assessment', 'Scunthorpe', 'sextant', 'analyst', 'shell', 'killer app',
    // A split must not bridge an article and a loan word; an -er word of its own; a username's digits.
    'pasta an al dente', 'Smith et al', 'a cocker spaniel', 'cockers', 'the titer rose', '@but7', 'ping @but7!',
  ])('does not match %s', (text) => {
    // Assess
    expect(found(policy.scan(text), text)).toEqual([]);
  });

  it('matches only the exact word when a term turns inflections off', () => {
    // Prepare
    const exact = compile({ blocked: [{ term: 'bastard', inflections: false }] });

    // Assess
    expect(exact.scan('bastards')).toEqual([]);
    expect(found(exact.scan('bastard'), 'bastard')).toEqual(['bastard@bastard']);
  });

  it('allows the inflections of an allowed word too', () => {
    // Prepare
    const withAllowed = compile({ blocked: [{ term: 'ass', regex: true }], allowed: ['class'] });

    // Assess
    expect(withAllowed.scan('two classes')).toEqual([]);
  });

  it('finds no term in the innocent words and clean lines of the benchmark corpus', () => {
    // Prepare
    const corpus = buildCorpus();
    const benchPolicy = compile({ blocked: [...corpus.terms, ...TERMS] });
    const clean = corpus.lines.filter((line) => line.style === undefined);

    // Act
    const falsePositives = [...INNOCENT_WORDS, ...clean.map((line) => line.text)].filter((text) => benchPolicy.scan(text).length > 0);

    // Assess
    expect(clean.length).toBeGreaterThan(10_000);
    expect(falsePositives).toEqual([]);
  });
});
