import { describe, expect, it } from 'vitest';
import { InvalidPolicyError } from '#shared/moderation/errors.ts';
import { ModerationPolicy, parseModerationPolicy } from '#shared/moderation/policy.ts';

describe('Function: parseModerationPolicy()', () => {
  it('fills every list with [] and version with 0 when they are missing', () => {
    // Act
    const policy = parseModerationPolicy({});

    // Assess
    expect(policy).toEqual({ version: 0, blocked: [], masked: [], flagged: [], allowed: [] });
  });

  it('turns null lists into [] when a client sends null for an empty list', () => {
    // Act
    const policy = parseModerationPolicy({ blocked: null, masked: null, flagged: null, allowed: null });

    // Assess
    expect(policy.blocked).toEqual([]);
    expect(policy.allowed).toEqual([]);
  });

  it('accepts plain strings and term objects with scopes and regex', () => {
    // Prepare
    const input = {
      version: 3,
      blocked: ['bad', { term: 'b[a4]d', regex: true }],
      masked: [{ term: 'darn', groupIDs: ['g1'], sessionTypes: [3] }],
      allowed: ['badminton'],
    };

    // Act
    const policy = parseModerationPolicy(input);

    // Assess
    expect(policy).toEqual({ ...input, flagged: [] });
  });

  it.each([
    { case: 'the document has a typo for a list', input: { bloked: ['bad'] }, key: 'bloked' },
    { case: 'a term object has a key the schema does not know', input: { blocked: [{ term: 'bad', regx: true }] }, key: 'regx' },
  ])('refuses the unknown key by name when $case', ({ input, key }) => {
    // Act
    const act = () => parseModerationPolicy(input);

    // Assess
    expect(act).toThrow(InvalidPolicyError);
    expect(act).toThrow(`Unrecognized key: "${key}"`);
  });

  it.each([
    { case: 'a list is not an array', input: { blocked: 'bad' }, path: 'blocked' },
    { case: 'a term is empty', input: { masked: ['  '] }, path: 'masked' },
    { case: 'a regular expression does not compile', input: { blocked: [{ term: 'b(ad', regex: true }] }, path: 'term' },
    { case: 'a session type is not an integer', input: { flagged: [{ term: 'x', sessionTypes: [1.5] }] }, path: 'sessionTypes.0: Invalid input: expected int' },
    { case: 'the version is negative', input: { version: -1 }, path: 'version' },
    { case: 'the document is not an object', input: 'blocked: bad', path: '' },
  ])('throws InvalidPolicyError with a readable message when $case', ({ input, path }) => {
    // Act
    const act = () => parseModerationPolicy(input);

    // Assess
    expect(act).toThrow(InvalidPolicyError);
    try {
      act();
    } catch (error) {
      expect((error as InvalidPolicyError).name).toBe('InvalidPolicyError');
      expect((error as InvalidPolicyError).message).toContain('Invalid moderation policy');
      expect((error as InvalidPolicyError).message).toContain(path);
      expect((error as InvalidPolicyError).problems.length).toBeGreaterThan(0);
    }
  });
});

describe('Schema: ModerationPolicy', () => {
  it('is the type it infers, so a parsed policy is ready to compile', () => {
    // Act
    const policy: ModerationPolicy = ModerationPolicy.parse({ blocked: ['bad'] });

    // Assess
    expect(policy.blocked).toEqual(['bad']);
  });
});
