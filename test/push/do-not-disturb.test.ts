/** Do-not-disturb hours in the user's IANA time zone, and the preference rule built on them. */
import { describe, expect, it } from 'vitest';
import { isWithinDoNotDisturb, TimeZone } from '#shared/push/do-not-disturb.ts';
import { quietReason } from '#shared/push/preferences.ts';
import { defaultPreferences } from '#shared/store/preference-store.ts';

describe('Function: isWithinDoNotDisturb()', () => {
  it.each([
    { $case: 'inside a window wrapping midnight, in Paris (UTC+1 in winter)', at: '2026-01-15T22:30:00Z', zone: 'Europe/Paris', window: { start: '22:00', end: '07:00' }, expected: true },
    { $case: 'after a wrapping window ends, in Paris', at: '2026-01-15T06:30:00Z', zone: 'Europe/Paris', window: { start: '22:00', end: '07:00' }, expected: false },
    { $case: 'at local 23:30 in New York while UTC is already the next day', at: '2026-07-01T03:30:00Z', zone: 'America/New_York', window: { start: '23:00', end: '23:59' }, expected: true },
    { $case: 'on the end minute (the end is exclusive)', at: '2026-01-15T07:00:00Z', zone: 'UTC', window: { start: '06:00', end: '07:00' }, expected: false },
    { $case: 'with start equal to end (an empty window)', at: '2026-01-15T07:00:00Z', zone: 'UTC', window: { start: '07:00', end: '07:00' }, expected: false },
    { $case: 'in a half-hour zone (Kolkata, UTC+5:30)', at: '2026-01-15T17:00:00Z', zone: 'Asia/Kolkata', window: { start: '22:00', end: '23:00' }, expected: true },
  ])('answers $expected $case', ({ at, zone, window, expected }) => {
    // Assess
    expect(isWithinDoNotDisturb(window, zone, new Date(at))).toBe(expected);
  });

  it('refuses a time zone that is not an IANA name', () => {
    // Assess
    expect(TimeZone.safeParse('Mars/Olympus').success).toBe(false);
    expect(TimeZone.safeParse('Asia/Tokyo').success).toBe(true);
  });
});

describe('Function: quietReason()', () => {
  const muted = { ...defaultPreferences('bob'), mutedConversations: ['sg_g1'] };

  it.each([
    { $case: 'the conversation is muted', preferences: muted, mentioned: false, expected: 'conversation-muted' },
    { $case: 'the conversation is muted but the user is @-mentioned', preferences: muted, mentioned: true, expected: undefined },
    { $case: 'the user muted everything, even when mentioned', preferences: { ...muted, muted: true }, mentioned: true, expected: 'muted' },
    { $case: 'the user has no preferences', preferences: undefined, mentioned: false, expected: undefined },
  ])('gives $expected when $case', ({ preferences, mentioned, expected }) => {
    // Assess
    expect(quietReason(preferences, { conversationID: 'sg_g1', mentioned }, new Date())).toBe(expected);
  });
});
