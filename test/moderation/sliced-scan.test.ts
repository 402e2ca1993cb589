/**
 * A scan in time slices finds exactly what a scan in one go finds, wherever it is cut, and scans of one
 * compiled policy that interleave do not see each other's state. Slices are forced by a slicer that
 * says "due" at random (not by the clock), so the checks are the same on a loaded machine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyCompiler, compilePolicy, type TermMatch } from '#shared/moderation/matcher.ts';
import { parseModerationPolicy } from '#shared/moderation/policy.ts';
import { MODERATION_ACTIONS } from '#shared/moderation/term-entry.ts';
import type { TimeSlicer } from '#shared/moderation/time-slicer.ts';

/** A slicer that stops the walk whenever `stop()` says so, and counts what happened. */
function scriptedSlicer(stop: () => boolean) {
  const slicer = {
    asked: 0,
    yields: 0,
    due() {
      slicer.asked++;
      return stop();
    },
    async yield() {
      slicer.yields++;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return slicer as typeof slicer & TimeSlicer;
}

/** A deterministic coin for fast-check's seed: which checkpoints become slice ends. */
function coin(seed: number, chance: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32 < chance;
  };
}

/** Word terms with emphasis, leet and split-prone letters, and phrases of them. */
const WORDS = ['bad', 'baad', 'bastard', 'kill', 'ilil', 'ass', 'assist', 'meh', 'darn', 'sh1t', 'lili'];
const term = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => `${a} ${b}`),
  fc.array(fc.constantFrom('a', 'i', 'l', 's', 'b', 'd', '1', '$'), { minLength: 2, maxLength: 6 }).map((cs) => cs.join('')),
);
const policyTerms = fc.array(fc.record({ term, action: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 10 });

/** Pieces of chat that hit those terms in every way the walk handles: runs, leet, spacing, splits, gaps. */
const PIECES = [
  'baaaad', 'b a d', 'b.4.d', 'bas tard', 'ba stard', 'k1ll', 'ki11', '1111', '|||', 'a$$', 'as s', 'assist',
  'bad! man', 'bad darn', 'meh', 'darnation', 'class act', '  ', '!?', ' ', 'x', 'sh!t', 'l1l1l1',
];
const text = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 40 }).map((pieces) => pieces.join(' '));

function compile(terms: readonly { term: string; action: number }[]) {
  const compiler = new PolicyCompiler(1);
  for (const { term, action } of terms) compiler.add(term, action < 3 ? MODERATION_ACTIONS[action]! : 'allowed');
  return compiler.finish();
}

describe('Method: scanSliced()', () => {
  it('finds exactly the matches of a whole scan, wherever the walk is cut', async () => {
    let yields = 0;
    await fc.assert(
      fc.asyncProperty(policyTerms, text, fc.integer({ min: 20, max: 400 }), fc.integer(), async (terms, piece, repeats, seed) => {
        // Prepare: long enough that the walk reaches many checkpoints, cut at random ones.
        const policy = compile(terms);
        const long = Array.from({ length: repeats }, () => piece).join(' ');
        const slicer = scriptedSlicer(coin(seed, 0.5));

        // Act
        const whole = policy.scan(long);
        const sliced = await policy.scanSliced(long, {}, slicer);

        // Assess
        expect(sliced).toEqual(whole);
        yields += slicer.yields;
      }),
      { numRuns: 120 },
    );
    expect(yields).toBeGreaterThan(100);
  });

  it('gives the matches of a text scanned within its first slice at once, and a promise of them once it needs another', async () => {
    // Prepare
    const policy = compilePolicy(parseModerationPolicy({ blocked: ['badword'], flagged: ['meh'] }));
    const short = 'a b4dw0rd, meh';
    const long = '8@dw0rd 4$$ b a d w o r d 1111 meh '.repeat(5_000);

    // Act
    const atOnce = policy.scanSliced(short, {}, scriptedSlicer(() => false));
    const sliced = policy.scanSliced(long, {}, scriptedSlicer(() => true));

    // Assess
    expect(atOnce).not.toBeInstanceOf(Promise);
    expect(atOnce).toEqual(policy.scan(short));
    expect(atOnce).toHaveLength(2);
    expect(sliced).toBeInstanceOf(Promise);
    expect(await sliced).toEqual(policy.scan(long));
  });

  it('lets the event loop run every few thousand steps of the walk', async () => {
    // Prepare: leet runs, spaced letters and ones, where every position starts several states.
    const policy = compilePolicy(parseModerationPolicy({ blocked: ['badword', 'ilililil', 'kill', 'bastard'], flagged: ['meh'] }));
    const slicer = scriptedSlicer(() => true);

    // Act
    await policy.scanSliced('8@dw0rd 4$$ b a d w o r d 1111 meh '.repeat(5_000), {}, slicer);
    const { lastScanSteps } = policy as typeof policy & { readonly lastScanSteps: number };

    // Assess: at most 4,096 steps between two questions, so at least a quarter of that many slices.
    expect(lastScanSteps).toBeGreaterThan(400_000);
    expect(slicer.yields).toBeGreaterThanOrEqual(Math.floor(lastScanSteps / 4096 / 4));
  });

  it('keeps interleaved scans of one compiled policy apart, scopes included', async () => {
    // Prepare
    const policy = compilePolicy(
      parseModerationPolicy({
        blocked: ['badword', { term: 'g1only', groupIDs: ['g1'] }],
        masked: ['darn'],
        flagged: ['meh'],
        allowed: ['darnation'],
      }),
    );
    const texts = [
      { text: 'badword g1only '.repeat(3_000), scope: { groupID: 'g1' } },
      { text: 'meh darnation darn g1only '.repeat(3_000), scope: {} },
      { text: 'b a d w o r d 1111 '.repeat(3_000), scope: { groupID: 'g2' } },
    ];
    const expected = texts.map(({ text, scope }) => policy.scan(text, scope));
    const slicers = texts.map(() => scriptedSlicer(() => true));

    // Act
    const results: TermMatch[][] = await Promise.all(texts.map(({ text, scope }, i) => policy.scanSliced(text, scope, slicers[i])));

    // Assess
    expect(results).toEqual(expected);
    for (const slicer of slicers) expect(slicer.yields).toBeGreaterThan(10);
    expect(policy.scan('badword g1only', {})).toHaveLength(1);
  });
});
