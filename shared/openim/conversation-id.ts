/**
 * OpenIM's conversationID of a message (contract §5): `si_<a>_<b>` with the two user IDs sorted
 * for single chats, `sg_<groupID>` for groups. Computed, never parsed: user IDs may contain `_`.
 */
export const SESSION_TYPES = { single: 1, writeGroup: 2, readGroup: 3, notification: 4 } as const;

export function conversationIdOf(message: { sessionType: number; sendID: string; recvID?: string; groupID?: string }): string {
  switch (message.sessionType) {
    case SESSION_TYPES.single:
      return `si_${[message.sendID, message.recvID ?? ''].sort().join('_')}`;
    case SESSION_TYPES.writeGroup:
      return `g_${message.groupID ?? ''}`;
    case SESSION_TYPES.readGroup:
      return `sg_${message.groupID ?? ''}`;
    default:
      return `sn_${[message.sendID, message.recvID ?? ''].sort().join('_')}`;
  }
}
