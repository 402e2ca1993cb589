/**
 * What the operator API accepts: a policy that is entirely valid, checked term by term through the
 * compiler, in time slices. Everything else is refused with every problem listed at once.
 */
import { describe, expect, it } from 'vitest';
import { InvalidPolicyError } from '#shared/moderation/errors.ts';
import { MAX_POLICY_TERMS, MAX_TERM_LENGTH } from '#shared/moderation/policy.ts';
import { TimeSlicer } from '#shared/moderation/time-slicer.ts';
import { validatePolicy } from '#shared/moderation/validate-policy.ts';
import { generatedTerms } from '../helpers/generated-terms.ts';

async function problemsOf(json: unknown) {
  const error = await validatePolicy(json).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InvalidPolicyError);
  return (error as InvalidPolicyError).problems;
}

describe('Function: validatePolicy()', () => {
  it('returns the typed policy and the version it was based on, 0 included', async () => {
    // Act
    const { policy, basedOn } = await validatePolicy({ version: 0, blocked: ['bad'], allowed: null });

    // Assess
    expect(basedOn).toBe(0);
    expect(policy).toEqual({ version: 0, blocked: ['bad'], masked: [], flagged: [], allowed: [] });
  });

  it('reports no base version when the document carries none', async () => {
    // Act
    const { basedOn } = await validatePolicy({ blocked: ['bad'] });

    // Assess
    expect(basedOn).toBeUndefined();
  });

  it.each([
    { case: 'a list name has a typo', input: { bloked: ['bad'] }, path: '(policy)', reason: 'Unrecognized key: "bloked"' },
    { case: 'a term is only punctuation', input: { masked: ['...'] }, path: 'masked[0]', reason: 'nothing is left to match after normalisation' },
    { case: 'an allowed word is only invisible characters', input: { allowed: ['\u200b\u200b'] }, path: 'allowed[0]', reason: 'nothing is left to match after normalisation' },
    { case: 'a term is too long', input: { flagged: ['x'.repeat(MAX_TERM_LENGTH + 1)] }, path: 'flagged[0]', reason: `at most ${MAX_TERM_LENGTH} characters` },
    { case: 'the version is negative', input: { version: -1 }, path: 'version', reason: '>=0' },
  ])('refuses the document and says where and why when $case', async ({ input, path, reason }) => {
    // Act
    const problems = await problemsOf(input);

    // Assess
    expect(problems).toEqual([expect.objectContaining({ path, reason: expect.stringContaining(reason) })]);
  });

  it('lists every offending term with its list, index and reason, not just the first', async () => {
    // Prepare
    const input = {
      typo: true,
      blocked: ['fine', '...', { term: 'b(ad', regex: true }, 'also fine'],
      masked: [{ term: 'darn', regx: true }],
      allowed: ['ok', '  '],
    };

    // Act
    const problems = await problemsOf(input);

    // Assess
    expect(problems.map(({ path, list, index, term }) => ({ path, list, index, term }))).toEqual([
      { path: '(policy)', list: undefined, index: undefined, term: undefined },
      { path: 'blocked[1]', list: 'blocked', index: 1, term: '...' },
      { path: 'blocked[2].term', list: 'blocked', index: 2, term: 'b(ad' },
      { path: 'masked[0]', list: 'masked', index: 0, term: 'darn' },
      { path: 'allowed[1]', list: 'allowed', index: 1, term: '  ' },
    ]);
    expect(problems[2]!.reason).toContain('regular expression');
    expect(problems[3]!.reason).toContain('"regx"');
  });

  it('lists a thousand bad terms in problems and only the first in its message', async () => {
    // Act
    const error = (await validatePolicy({ blocked: Array.from({ length: 1_000 }, () => '...') }).catch((caught: unknown) => caught)) as InvalidPolicyError;

    // Assess
    expect(error.problems).toHaveLength(1_000);
    expect(error.problems[999]).toMatchObject({ list: 'blocked', index: 999 });
    expect(error.message).toContain('blocked[19] "..."');
    expect(error.message).not.toContain('blocked[20]');
    expect(error.message).toContain('and 980 more');
  });

  it('echoes an over-long term cut short, not whole', async () => {
    // Act
    const [problem] = await problemsOf({ blocked: ['y'.repeat(100_000)] });

    // Assess
    expect(problem!.term!.length).toBeLessThan(1_000);
  });

  it('refuses one term more than the limit, counting every list', async () => {
    // Prepare
    const terms = generatedTerms(MAX_POLICY_TERMS + 1);

    // Act
    const problems = await problemsOf({ blocked: terms.slice(1), allowed: terms.slice(0, 1) });

    // Assess
    expect(problems).toEqual([
      expect.objectContaining({ path: '(policy)', reason: expect.stringContaining(`at most ${MAX_POLICY_TERMS} terms`) }),
    ]);
  });

  it('accepts a policy at the term limit, giving the event loop back often and holding one slice of it in memory', async () => {
    // Prepare
    const terms = generatedTerms(MAX_POLICY_TERMS);
    const slicer = new TimeSlicer();
    const baseline = process.memoryUsage().heapUsed;
    let peakGrowth = 0;
    const sampler = setInterval(() => (peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - baseline)), 5);

    // Act
    const { policy } = await validatePolicy({ blocked: terms.slice(100), allowed: terms.slice(0, 100) }, slicer);
    clearInterval(sampler);

    // Assess: ~20 µs per term makes ~2 s of work; 10 ms slices mean far more than 20 yields. The
    // compiled form of every term at once is about a gigabyte; the operator API runs in 256 MB.
    expect(policy.blocked).toHaveLength(MAX_POLICY_TERMS - 100);
    expect(policy.allowed).toHaveLength(100);
    expect(slicer.yields).toBeGreaterThan(20);
    expect(peakGrowth / 2 ** 20).toBeLessThan(200);
  }, 120_000);
});
