/**
 * OpenIM's beforeMsgModify carries no groupID, so a message is masked in the group its before-send
 * named, remembered per message. That memory is work on every group message (a map entry each), so
 * the before-sends keep it only while some term of the policy in force is scoped to groups.
 */
import { describe, expect, it } from 'vitest';
import type { ChatEventPublisher } from '#shared/events/chat-event-publisher.ts';
import { compilePolicy } from '#shared/moderation/matcher.ts';
import { MessageModeration } from '#shared/moderation/message-moderation.ts';
import { parseModerationPolicy } from '#shared/moderation/policy.ts';
import { RecentGroups } from '#shared/moderation/recent-groups.ts';

const nowhere: ChatEventPublisher = { publish: async () => undefined };

function groupSend(clientMsgID: string, groupID: string) {
  return {
    sendID: 'u1',
    groupID,
    senderNickname: 'U1',
    sessionType: 3,
    contentType: 101,
    content: JSON.stringify({ content: 'hello there' }),
    serverMsgID: `s-${clientMsgID}`,
    clientMsgID,
    sendTime: 1_764_060_000_000,
    operationID: `op-${clientMsgID}`,
  };
}

describe('Property: CompiledPolicy.scopedToGroups', () => {
  it.each([
    ['no policy', {}, false],
    ['global terms of every action', { blocked: ['badword'], masked: ['darn'], flagged: ['meh'], allowed: ['badwordly'] }, false],
    ['a term scoped to session types only', { blocked: [{ term: 'badword', sessionTypes: [3] }] }, false],
    ['a blocked term scoped to a group', { blocked: ['darn', { term: 'badword', groupIDs: ['g1'] }] }, true],
    ['a masked term scoped to a group', { masked: [{ term: 'darn', groupIDs: ['g1'] }] }, true],
    ['a regular-expression term scoped to a group', { flagged: [{ term: 'd[a4]rn', regex: true, groupIDs: ['g1'] }] }, true],
  ])('is %s -> %s', (_, policy, scoped) => {
    // Act
    const compiled = compilePolicy(parseModerationPolicy(policy));

    // Assess
    expect(compiled.scopedToGroups).toBe(scoped);
  });
});

describe('Method: MessageModeration.reviewSend', () => {
  it.each([
    ['remembers', { masked: [{ term: 'darn', groupIDs: ['g1'] }] }, 'g1'],
    ['does not remember', { masked: ['darn'] }, undefined],
  ])('%s the group of a send when the policy in force is %j', async (_, policy, remembered) => {
    // Prepare
    const recentGroups = new RecentGroups();
    const compiled = compilePolicy(parseModerationPolicy(policy));
    const moderation = new MessageModeration({ policy: { current: async () => compiled }, publisher: nowhere, recentGroups });

    // Act
    await moderation.reviewSend(groupSend('c1', 'g1'));

    // Assess
    expect(recentGroups.groupOf('c1')).toBe(remembered);
  });
});
