/**
 * A user's push preferences and the one rule that reads them, shared by the push worker and the
 * enrich mode of the take-over: muted entirely, the conversation muted, or inside do-not-disturb
 * hours in the user's time zone means no offline notification.
 */
import * as z from 'zod/mini';
import { DoNotDisturb, isWithinDoNotDisturb, TimeZone } from './do-not-disturb.ts';

/** What `PUT /api/push/preferences/{userID}` accepts; omitted fields take their defaults. */
export const PreferencesUpdate = z.strictObject({
  muted: z._default(z.boolean(), false),
  doNotDisturb: z._default(z.nullable(DoNotDisturb), null),
  timeZone: z._default(TimeZone, 'UTC'),
});
export type PreferencesUpdate = z.infer<typeof PreferencesUpdate>;

export interface PushPreferences extends PreferencesUpdate {
  readonly userID: string;
  /** OpenIM conversationIDs (`si_…`, `sg_…`) the user muted. */
  readonly mutedConversations: readonly string[];
}

export const QUIET_REASONS = {
  muted: 'muted',
  conversationMuted: 'conversation-muted',
  doNotDisturb: 'do-not-disturb',
} as const;
export type QuietReason = (typeof QUIET_REASONS)[keyof typeof QUIET_REASONS];

/**
 * Why `preferences` keep this conversation's notification from the user now, or undefined to push.
 * An @-mention gets through a muted conversation (as in most chat apps), never through a user-wide
 * mute or do-not-disturb hours.
 */
export function quietReason(
  preferences: PushPreferences | undefined,
  message: { readonly conversationID: string; readonly mentioned: boolean },
  now: Date,
): QuietReason | undefined {
  if (!preferences) return undefined;
  if (preferences.muted) return QUIET_REASONS.muted;
  if (!message.mentioned && preferences.mutedConversations.includes(message.conversationID)) return QUIET_REASONS.conversationMuted;
  if (preferences.doNotDisturb && isWithinDoNotDisturb(preferences.doNotDisturb, preferences.timeZone, now)) {
    return QUIET_REASONS.doNotDisturb;
  }
  return undefined;
}
