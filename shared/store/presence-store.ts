/** Port for presence: apply events in any order, read the derived per-user presence. */
import type { PresenceEvent } from '../presence/presence-event.ts';
import type { PresenceReader } from '../presence/presence-reader.ts';
import type { UserPresence } from '../presence/user-presence.ts';

export interface PresenceWriteResult {
  /** False when the store already held this event or a newer one: nothing changed. */
  readonly applied: boolean;
}

export interface PresenceStore extends PresenceReader {
  apply(event: PresenceEvent): Promise<PresenceWriteResult>;
  /** The presence of each user, in the order asked (a user never seen is offline, lastSeen null). */
  presenceOf(userIDs: readonly string[]): Promise<UserPresence[]>;
}
