/**
 * The trie walk does work linear in the text for any policy: counted in steps (states visited plus
 * units read), not timed, so the checks cannot flake on a loaded machine. A quadratic walk would do
 * 64 times the work on 8 times the text; linear does 8.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyCompiler } from '#shared/moderation/matcher.ts';
import { MODERATION_ACTIONS } from '#shared/moderation/term-entry.ts';

/** Letters the leetspeak and emphasis rules make ambiguous, with separators and leet punctuation. */
const ALPHABET = ['a', 'i', 'l', 's', 'b', 'd', '1', '!', '|', '@', '$', '4', '5', ' ', '.', '-'];

function compile(terms: readonly { term: string; action: number }[]) {
  const compiler = new PolicyCompiler(1);
  for (const { term, action } of terms) compiler.add(term, action < 3 ? MODERATION_ACTIONS[action]! : 'allowed');
  return compiler.finish() as ReturnType<PolicyCompiler['finish']> & { readonly lastScanSteps: number };
}

function steps(policy: ReturnType<typeof compile>, text: string): number {
  policy.scan(text);
  return policy.lastScanSteps;
}

const term = fc.array(fc.constantFrom(...ALPHABET.filter((c) => c !== '.' && c !== '-')), { minLength: 1, maxLength: 10 }).map((cs) => cs.join(''));
const policy = fc.array(fc.record({ term, action: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 12 });
const unit = fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''));

describe('Properties: scan work', () => {
  it('grows linearly with the text for random policies and repetitive texts', () => {
    fc.assert(
      fc.property(policy, unit, (terms, pattern) => {
        // Prepare: terms that leave nothing to match are refused, and the rest still compile.
        const compiled = compile(terms);
        const n = 2_000;
        const text = (size: number) => pattern.repeat(Math.ceil(size / pattern.length)).slice(0, size);

        // Act
        const small = steps(compiled, text(n));
        const large = steps(compiled, text(8 * n));

        // Assess
        expect(large).toBeLessThanOrEqual(10 * small + 1_000);
        expect(large).toBeLessThanOrEqual(200 * 8 * n);
      }),
      { numRuns: 150 },
    );
  });

  it.each([
    { case: 'one blocked word repeated', terms: ['badword'], pattern: 'badword ' },
    { case: 'spaced letters', terms: ['badword', 'bad'], pattern: 'b a d ' },
    { case: 'a run of ones', terms: ['ilililil', 'lili', 'kill', 'ill'], pattern: '1' },
    { case: 'a run of spaced ones', terms: ['ilililil', 'lili', 'kill'], pattern: '1 ' },
    { case: 'alternating leet symbols before a phrase gap', terms: ['a s b', 'as bad'], pattern: '@$' },
    { case: 'a long separator run', terms: ['bad man'], pattern: 'bad!!!!' },
    { case: 'near misses of a long term', terms: ['abcdefghijklmnopqrstuvwxyz'], pattern: 'abcdefghijklmnopqrstuvwxy ' },
    { case: 'a split word repeated', terms: ['bastard'], pattern: 'bas tard ' },
    { case: 'emphasis runs', terms: ['baad', 'bad', 'baaad'], pattern: 'baaaaaaaaaa' },
  ])('does linear work on $case', ({ terms, pattern }) => {
    // Prepare
    const compiled = compile(terms.map((t) => ({ term: t, action: 0 })));
    const text = (size: number) => pattern.repeat(Math.ceil(size / pattern.length)).slice(0, size);

    // Act
    const small = steps(compiled, text(20_000));
    const large = steps(compiled, text(160_000));

    // Assess
    expect(large / small).toBeLessThan(8.5);
    expect(large / 160_000).toBeLessThan(20);
  });
});
