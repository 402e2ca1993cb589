import type { PushJob } from '#shared/push/push-job.ts';

/** One job of a group message's offline push, as the beforeOfflinePush take-over publishes it. */
export function groupPushJob(messageID: string, userIDs: readonly string[]): PushJob {
  return {
    messageID,
    conversationID: 'sg_group-1',
    sendID: 'alice',
    groupID: 'group-1',
    sessionType: 3,
    contentType: 101,
    title: 'Group',
    body: 'hello',
    collapseKey: 'sg_group-1',
    ex: '',
    iOSPushSound: '',
    userIDs: [...userIDs],
    mentionedUserIDs: [],
    chunk: 0,
    chunkCount: 1,
  };
}
