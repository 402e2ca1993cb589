/**
 * A policy at the term limit must fit a 1024 MB callback beside everything else: it retained ~994 MB
 * when every trie node was an object with its own edge lists, and ~60 MB in typed arrays. The bound is
 * generous (a byte count, not a time, so a loaded machine cannot make it flake) yet far below the old size.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '#shared/moderation/matcher.ts';
import { parseModerationPolicy } from '#shared/moderation/policy.ts';
import { generatedTerms } from '../helpers/generated-terms.ts';
import { retainedBytes } from '../helpers/retained-bytes.ts';

describe('Function: compilePolicy() (memory)', () => {
  it('retains well under 150 MB for a policy of 100,000 terms', () => {
    // Prepare
    const policy = parseModerationPolicy({ blocked: generatedTerms(100_000) });
    const before = retainedBytes();

    // Act
    const compiled = compilePolicy(policy);
    const retained = retainedBytes() - before;

    // Assess: still matching (so nothing was left out to save room), and small.
    expect(compiled.scan(`say ${policy.blocked[99_999] as string} now`)).toHaveLength(1);
    expect(retained).toBeLessThan(150 * 1024 * 1024);
  }, 120_000);
});
