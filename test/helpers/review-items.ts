/** Review items for tests: a flagged group message by default. */
import type { NewReviewItem } from '#shared/review/review-store.ts';

export function newItem(itemId: string, patch: { flaggedAt?: string; sendID?: string; groupID?: string; terms?: string[] } = {}): NewReviewItem {
  const groupID = patch.groupID ?? 'g1';
  return {
    itemId,
    flaggedAt: patch.flaggedAt ?? '2026-11-25T10:00:00.000Z',
    policyVersion: 2,
    terms: patch.terms ?? ['wire transfer'],
    texts: ['please do a wire transfer'],
    highlights: [{ text: 0, start: 12, end: 25, term: 'wire transfer' }],
    message: {
      sendID: patch.sendID ?? 'alice',
      senderNickname: 'Alice',
      sessionType: groupID ? 3 : 1,
      recvID: groupID ? '' : 'bob',
      groupID,
      conversationID: groupID ? `sg_${groupID}` : 'si_alice_bob',
      serverMsgID: `s-${itemId}`,
      clientMsgID: itemId,
      contentType: 101,
      content: '{"content":"please do a wire transfer"}',
      sendTime: Date.parse('2026-11-25T10:00:00Z'),
    },
  };
}
