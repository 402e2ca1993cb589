/**
 * A presence change as this service applies it, read from the chat event of an online, offline
 * or kick-off callback. `at` is OpenIM's `seq`, the event time in unix ms (contract §3 "Online
 * status"): it orders events, since OpenIM's two webhook workers deliver them out of order.
 */
import * as z from 'zod/mini';
import type { ChatEvent } from '../events/chat-event.ts';
import { AfterUserKickOffReq, AfterUserOfflineReq, AfterUserOnlineReq } from '../openim/schemas/status.ts';
import { UnreadablePresenceEventError } from './errors.ts';

export const PRESENCE_COMMANDS = {
  online: 'callbackAfterUserOnlineCommand',
  offline: 'callbackAfterUserOfflineCommand',
  kickoff: 'callbackAfterUserKickOffCommand',
} as const;

export interface PlatformEvent {
  readonly kind: 'online' | 'offline';
  readonly userID: string;
  readonly platformID: number;
  /** OpenIM's platform name (contract §4), `""` when it sent none. */
  readonly platform: string;
  readonly at: number;
  /** Online only: the mobile app reported being in the background. */
  readonly isAppBackground: boolean;
}

/** Ends every connection of the user at or before `at`, whatever the platform. */
export interface KickOffEvent {
  readonly kind: 'kickoff';
  readonly userID: string;
  readonly at: number;
}

export type PresenceEvent = PlatformEvent | KickOffEvent;

export function presenceEventOf(event: ChatEvent): PresenceEvent {
  const read = <T extends z.ZodMiniType>(schema: T): z.output<T> => {
    const parsed = schema.safeParse(event.payload);
    if (!parsed.success) throw new UnreadablePresenceEventError(event.eventId, z.prettifyError(parsed.error));
    return parsed.data;
  };
  const checked = <T extends PresenceEvent>(presence: T): T => {
    if (presence.userID === '') throw new UnreadablePresenceEventError(event.eventId, 'userID is empty');
    if (!Number.isSafeInteger(presence.at) || presence.at <= 0) throw new UnreadablePresenceEventError(event.eventId, `seq ${presence.at} is not an event time`);
    return presence;
  };
  switch (event.eventType) {
    case PRESENCE_COMMANDS.online: {
      const body = read(AfterUserOnlineReq);
      const { userID, platformID, platform, seq, isAppBackground } = body;
      return checked({ kind: 'online', userID, platformID, platform, at: seq, isAppBackground });
    }
    case PRESENCE_COMMANDS.offline: {
      const { userID, platformID, platform, seq } = read(AfterUserOfflineReq);
      return checked({ kind: 'offline', userID, platformID, platform, at: seq, isAppBackground: false });
    }
    case PRESENCE_COMMANDS.kickoff: {
      const { userID, seq } = read(AfterUserKickOffReq);
      return checked({ kind: 'kickoff', userID, at: seq });
    }
    default:
      throw new UnreadablePresenceEventError(event.eventId, `${event.eventType} is not a presence command`);
  }
}
