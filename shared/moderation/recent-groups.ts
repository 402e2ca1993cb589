/**
 * Remembers the group of recent messages: OpenIM's beforeMsgModify request has no groupID, so
 * group-scoped terms are resolved through the before-send that came just before it. Bounded, and
 * best effort: a modify served by another instance falls back to global and session-type scopes.
 *
 * Two generations of half the capacity each, the older dropped whole when the newer is full:
 * evicting the oldest entry of a single Map one at a time walks the deleted slots V8 leaves at its
 * front, which cost every before-send several microseconds once the map was full.
 */
export class RecentGroups {
  private newer = new Map<string, string>();
  private older = new Map<string, string>();
  private readonly generationSize: number;

  /** Remembers at least the last `capacity / 2` messages, and never more than `capacity`. */
  constructor(capacity = 10_000) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  remember(clientMsgID: string, groupID: string): void {
    if (!clientMsgID || !groupID) return;
    this.newer.set(clientMsgID, groupID);
    if (this.newer.size >= this.generationSize) {
      this.older = this.newer;
      this.newer = new Map();
    }
  }

  groupOf(clientMsgID: string): string | undefined {
    return this.newer.get(clientMsgID) ?? this.older.get(clientMsgID);
  }
}
