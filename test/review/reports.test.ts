/**
 * Users' reports and appeals over real HTTP against the real local server: a report becomes a
 * review item, one per message with its reporters counted; an appeal of a decision becomes an item
 * linked to the original; both are in the moderation log under the user's name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import { api, sendGroupMessage, startReviewRig, type ReviewRig } from '../helpers/review-server.ts';

const reportedMessage = (clientMsgID: string) => ({
  sendID: 'rex',
  senderNickname: 'Rex',
  sessionType: 3,
  groupID: 'g-reports',
  conversationID: 'sg_g-reports',
  serverMsgID: `s-${clientMsgID}`,
  clientMsgID,
  contentType: 101,
  content: JSON.stringify({ content: 'you will regret this' }),
  sendTime: Date.now(),
});

describe('Reports and appeals', () => {
  let rig: ReviewRig;

  beforeAll(async () => {
    rig = await startReviewRig();
  }, 90_000);

  afterAll(async () => {
    await rig?.stop();
  });

  it('turns a report into a pending item and counts each reporter once, however often it is sent', async () => {
    // Act
    const first = await api(rig, 'POST', '/api/review/reports', { reporterID: 'una', category: 'harassment', text: 'threatens me', message: reportedMessage('rep-1') });
    const again = await api(rig, 'POST', '/api/review/reports', { reporterID: 'una', category: 'harassment', text: 'threatens me', message: reportedMessage('rep-1') });
    const other = await api(rig, 'POST', '/api/review/reports', { reporterID: 'vic', category: 'hate', message: reportedMessage('rep-1') });
    const pending = await api(rig, 'GET', '/api/review/items?state=pending');
    const log = await api(rig, 'GET', '/api/review/log?itemId=rep-1');

    // Assess
    expect(first).toMatchObject({ status: 200, body: { created: true, item: { source: 'report', state: 'pending', texts: ['you will regret this'], reports: { count: 1 } } } });
    expect(again.body).toMatchObject({ created: false, item: { reports: { count: 1 } } });
    expect(other.body.item.reports).toEqual({ count: 2, categories: ['harassment', 'hate'] });
    expect(pending.body.items.filter((item: { itemId: string }) => item.itemId === 'rep-1')).toHaveLength(1);
    expect(log.body.entries.map((entry: { kind: string; actor: string }) => [entry.kind, entry.actor])).toEqual([
      ['report', 'user:vic'],
      ['report', 'user:una'],
      ['report', 'user:una'],
    ]);
  });

  it('counts a report of a message the policy flagged on the flagged item', async () => {
    // Prepare
    await sendGroupMessage(rig, { text: 'send a wire transfer now', sendID: 'rex', groupID: 'g-reports', clientMsgID: 'rep-flagged' });
    await eventually(async () => (await api(rig, 'GET', '/api/review/items/rep-flagged')).status === 200);

    // Act
    const reported = await api(rig, 'POST', '/api/review/reports', { reporterID: 'una', category: 'scam', message: reportedMessage('rep-flagged') });

    // Assess
    expect(reported.body).toMatchObject({ created: false, item: { source: 'flag', terms: ['wire transfer'], reports: { count: 1, categories: ['scam'] } } });
  });

  it('refuses a report without a reporter or with an unknown category, listing each field', async () => {
    // Act
    const refused = await api(rig, 'POST', '/api/review/reports', { category: 'boring', message: reportedMessage('rep-bad') });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['category', 'reporterID']);
  });

  it('turns the sender\'s appeal of a decision into an item linked to the original, once', async () => {
    // Prepare
    await api(rig, 'POST', '/api/review/reports', { reporterID: 'una', category: 'spam', message: reportedMessage('rep-appealed') });
    await api(rig, 'POST', '/api/review/items/rep-appealed/claim');
    await api(rig, 'POST', '/api/review/items/rep-appealed/decision', { decision: 'approved', reason: 'not spam' });

    // Act
    const notSender = await api(rig, 'POST', '/api/review/appeals', { itemId: 'rep-appealed', userID: 'una', text: 'please' });
    const appealed = await api(rig, 'POST', '/api/review/appeals', { itemId: 'rep-appealed', userID: 'rex', text: 'it was a joke between friends' });
    const twice = await api(rig, 'POST', '/api/review/appeals', { itemId: 'rep-appealed', userID: 'rex', text: 'again' });
    const originalLog = await api(rig, 'GET', '/api/review/log?itemId=rep-appealed');

    // Assess
    expect(notSender.status).toBe(409);
    expect(appealed).toMatchObject({
      status: 200,
      body: {
        item: { itemId: 'appeal#rep-appealed', source: 'appeal', state: 'pending', appeal: { of: 'rep-appealed', by: 'rex', decision: 'approved', decidedBy: 'local-operator' } },
        entry: { kind: 'appeal', actor: 'user:rex', reason: 'it was a joke between friends' },
      },
    });
    expect(twice.status).toBe(409);
    expect(originalLog.body.entries[0]).toMatchObject({ kind: 'appeal', actor: 'user:rex' });
  });
});
