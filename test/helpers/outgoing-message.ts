import type { OutgoingMessage } from '#shared/moderation/message-moderation.ts';

/** A single-chat text message as the before-send decider hands it to moderation. */
export function singleChatText(text: string, operationID = 'op-1'): OutgoingMessage {
  return {
    sendID: 'u1',
    recvID: 'u2',
    senderNickname: 'U1',
    sessionType: 1,
    contentType: 101,
    content: JSON.stringify({ content: text }),
    serverMsgID: 's-1',
    clientMsgID: 'c-1',
    sendTime: 1_764_060_000_000,
    operationID,
  };
}
