import { describe, expect, it } from 'vitest';
import { ChatEvent } from '#shared/events/chat-event.ts';
import { UnreadablePresenceEventError } from '#shared/presence/errors.ts';
import { presenceEventOf } from '#shared/presence/presence-event.ts';
import { summarisePresence, type PlatformState } from '#shared/presence/user-presence.ts';
import { readEvent } from '../helpers/events.ts';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const clock = { now: NOW, expiryMs: 30 * 60_000 };
const iso = (ms: number) => new Date(ms).toISOString();
const platform = (platformID: number, state: 'online' | 'offline', at: number, isAppBackground = false): PlatformState => ({
  platformID,
  platform: `p${platformID}`,
  state,
  at,
  isAppBackground,
});

describe('Function: summarisePresence()', () => {
  it.each([
    { case: 'never seen', platforms: [], kickedAt: undefined, online: false, live: [], lastSeen: null, background: false },
    {
      case: 'one platform online, one offline',
      platforms: [platform(2, 'online', NOW - 1_000, true), platform(5, 'offline', NOW - 500)],
      kickedAt: undefined,
      online: true,
      live: [2],
      lastSeen: iso(NOW - 1_000),
      background: true,
    },
    {
      case: 'all offline: the newest offline',
      platforms: [platform(1, 'offline', NOW - 9_000), platform(3, 'offline', NOW - 2_000)],
      kickedAt: undefined,
      online: false,
      live: [],
      lastSeen: iso(NOW - 2_000),
      background: false,
    },
    {
      case: 'online at the kick-off millisecond: ended',
      platforms: [platform(1, 'online', NOW - 3_000)],
      kickedAt: NOW - 3_000,
      online: false,
      live: [],
      lastSeen: iso(NOW - 3_000),
      background: false,
    },
    {
      case: 'not renewed for exactly the window: expired, last seen at its renewal',
      platforms: [platform(2, 'online', NOW - 30 * 60_000)],
      kickedAt: undefined,
      online: false,
      live: [],
      lastSeen: iso(NOW - 30 * 60_000),
      background: false,
    },
  ])('derives $case', ({ platforms, kickedAt, online, live, lastSeen, background }) => {
    // Act
    const presence = summarisePresence('u', platforms, kickedAt, clock);

    // Assess
    expect(presence).toMatchObject({ userID: 'u', online, lastSeen, isAppBackground: background });
    expect(presence.platforms.map((p) => p.platformID)).toEqual(live);
  });
});

describe('Function: presenceEventOf()', () => {
  const envelope = (eventType: string, payload: unknown) =>
    ChatEvent.parse({ eventId: 'e1', eventType, operationID: 'p_1_1', receivedAt: iso(NOW), valid: true, payload });

  it('reads the sample online event with seq as its time', () => {
    // Act
    const event = presenceEventOf(envelope('callbackAfterUserOnlineCommand', readEvent('callbackAfterUserOnlineCommand')));

    // Assess
    expect(event).toEqual({ kind: 'online', userID: '3516524387', platformID: 2, platform: 'Android', at: 1764060001215, isAppBackground: false });
  });

  it('reads a kick-off as ending the user, whatever its platform', () => {
    // Act
    const event = presenceEventOf(envelope('callbackAfterUserKickOffCommand', readEvent('callbackAfterUserKickOffCommand')));

    // Assess
    expect(event).toEqual({ kind: 'kickoff', userID: '7108093640', at: 1764060903377 });
  });

  it.each([
    { case: 'a seq of 0', eventType: 'callbackAfterUserOfflineCommand', payload: { ...readEvent('callbackAfterUserOfflineCommand'), seq: 0 } },
    { case: 'an empty userID', eventType: 'callbackAfterUserOfflineCommand', payload: { ...readEvent('callbackAfterUserOfflineCommand'), userID: '' } },
    { case: 'a payload that is not JSON', eventType: 'callbackAfterUserOnlineCommand', payload: 'not json' },
    { case: 'another command', eventType: 'callbackAfterSendSingleMsgCommand', payload: {} },
  ])('throws UnreadablePresenceEventError for $case', ({ eventType, payload }) => {
    // Act & Assess
    expect(() => presenceEventOf(envelope(eventType, payload))).toThrow(UnreadablePresenceEventError);
  });
});
