/** Port for users' push preferences; a user who never set any has the defaults (nothing muted). */
import type { PreferencesUpdate, PushPreferences } from '../push/preferences.ts';

export interface PreferenceStore {
  get(userID: string): Promise<PushPreferences>;
  /** Replaces mute, do-not-disturb and time zone; muted conversations are kept. */
  put(userID: string, update: PreferencesUpdate, now: Date): Promise<PushPreferences>;
  muteConversation(userID: string, conversationID: string, now: Date): Promise<PushPreferences>;
  unmuteConversation(userID: string, conversationID: string, now: Date): Promise<PushPreferences>;
  /** The stored preferences of those users who have any. */
  preferencesOf(userIDs: readonly string[]): Promise<Map<string, PushPreferences>>;
}

export function defaultPreferences(userID: string): PushPreferences {
  return { userID, muted: false, doNotDisturb: null, timeZone: 'UTC', mutedConversations: [] };
}
