/**
 * Port for reading a conversation's recent messages from the audit trail, for capabilities that
 * show context (the moderators' console). Implemented by the audit store.
 */
export interface AuditedMessage {
  readonly serverMsgID: string;
  readonly clientMsgID: string;
  readonly conversationID: string;
  readonly sendID: string;
  readonly senderNickname: string;
  readonly contentType: number;
  /** The message element JSON as OpenIM sent it (see openim-callbacks.md §4). */
  readonly content: string;
  /** Unix ms. */
  readonly sendTime: number;
}

export interface ConversationHistory {
  /** At most `limit` messages of the conversation sent before `before` (unix ms; default now), newest first. */
  recentInConversation(conversationID: string, options: { readonly limit: number; readonly before?: number }): Promise<AuditedMessage[]>;
  /**
   * The message's seq from its afterMsgSaveDB record (OpenIM main only), or undefined when the
   * trail holds none; a revoke needs it and every other callback carries 0.
   */
  savedSeq(serverMsgID: string): Promise<number | undefined>;
}
