/**
 * Remembers the group of recent messages: OpenIM's beforeMsgModify request has no groupID, so
 * group-scoped terms are resolved through the before-send that came just before it. Bounded, and
 * best effort: a modify served by another instance falls back to global and session-type scopes.
 */
export class RecentGroups {
  private readonly groups = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  remember(clientMsgID: string, groupID: string): void {
    if (!clientMsgID || !groupID) return;
    this.groups.delete(clientMsgID);
    this.groups.set(clientMsgID, groupID);
    if (this.groups.size > this.capacity) this.groups.delete(this.groups.keys().next().value!);
  }

  groupOf(clientMsgID: string): string | undefined {
    return this.groups.get(clientMsgID);
  }
}
