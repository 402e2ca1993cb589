/**
 * Port for asking who is online, for capabilities that must not act on online users (offline
 * push). Implemented by the presence store.
 */
export interface PresenceReader {
  /** The users among `userIDs` that are online on at least one platform now; any number at once (read in batches). */
  onlineAmong(userIDs: readonly string[]): Promise<Set<string>>;
}
