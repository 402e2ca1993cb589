/**
 * The local event journal against the real server as `npm start` runs it (#15): the answer
 * waits only for the journal, and what it acknowledged reaches the consumers once, whatever
 * stops the server. A kill -9 while the forwarder is busy, with no checkpoint written yet, leaves
 * events forwarded, and even applied, that the next start publishes again (the same events,
 * eventId and all); every acknowledged event still has exactly one audit record and nothing was
 * dead-lettered. A Ctrl-C after a burst forwards the whole journal before it exits. A blocked
 * message's event is in the journal when its stop is answered, so a kill -9 right after the
 * answers still has every violation recorded, once, by the next start.
 */
import { createDynamoDocumentClient, ScanCommand } from '#shared/aws/dynamodb-client.ts';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalBacklogBytes } from '#shared/events/event-journal.ts';
import { decodeEntries } from '#shared/events/journal-entry.ts';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { sendConcurrently } from '../../bench/presence-stream.ts';
import { auditedMessageIds, expectAuditedOnce } from '../helpers/audit-trail.ts';
import { readEvent } from '../helpers/events.ts';
import { eventually } from '../helpers/eventually.ts';
import { startLocalServer, type RunningServer, type StartOptions } from '../helpers/local-server.ts';
import { sendPaced, type PacedCallback } from '../helpers/paced-callbacks.ts';

const GROUP = 'callbackAfterSendGroupMsgCommand';
const STREAM = { count: 1_500, perSecond: 300, killAfterAcknowledged: 900 } as const;
/** Longer than the run: no checkpoint is written before the kill, so every event forwarded by then is published again. */
const CHECKPOINT_MS = '60000';

function afterSends(sendID: string, count: number): PacedCallback[] {
  return Array.from({ length: count }, (_, index) => ({
    command: GROUP,
    body: `${JSON.stringify({ ...readEvent(GROUP), sendID, serverMsgID: `${sendID}-${index}`, sendTime: Date.now() })}\n`,
  }));
}

/** The events journaled past the checkpoint: what the next start publishes (again). */
function eventsPastCheckpoint(directory: string): { eventType: string; payload: { serverMsgID: string; clientMsgID: string } }[] {
  const checkpoint = existsSync(join(directory, 'checkpoint.json'))
    ? (JSON.parse(readFileSync(join(directory, 'checkpoint.json'), 'utf8')) as { segment: number; offset: number })
    : { segment: 0, offset: 0 };
  return readdirSync(directory)
    .filter((name) => /^segment-\d{12}\.log$/.test(name))
    .sort()
    .flatMap((name) => {
      const segment = Number(name.slice(8, 20));
      if (segment < checkpoint.segment) return [];
      const bytes = readFileSync(join(directory, name));
      const { texts } = decodeEntries(bytes.subarray(segment === checkpoint.segment ? checkpoint.offset : 0));
      return texts.map((text) => JSON.parse(text) as { eventType: string; payload: { serverMsgID: string; clientMsgID: string } });
    });
}

/** The serverMsgIDs of the events journaled past the checkpoint. */
function journaledPastCheckpoint(directory: string): string[] {
  return eventsPastCheckpoint(directory).map((event) => event.payload.serverMsgID);
}

/** What the journal's start line says was left from before this start. */
function unforwardedFromBefore(server: RunningServer): number {
  const line = server.logLines().find((entry) => entry.message === 'callback events are journaled and forwarded in the background');
  return Number(line?.unforwardedBytesFromBefore);
}

const started: RunningServer[] = [];
async function start(env: Record<string, string | undefined> = {}, options: StartOptions = {}): Promise<RunningServer> {
  const server = await startLocalServer({ EVENT_JOURNAL_CHECKPOINT_MS: CHECKPOINT_MS, ...env }, { ...options, processGroup: true });
  started.push(server);
  return server;
}

afterEach(() => {
  for (const server of started.splice(0)) {
    try {
      server.signalGroup('SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

describe('Local mode: the event journal', () => {
  it('applies every acknowledged event once after kill -9 while forwarding, re-publishing what the checkpoint had not passed', async () => {
    // Prepare
    const first = await start();
    const sendID = 'journal-kill';
    const run = sendPaced(first.webhookBase, afterSends(sendID, STREAM.count), STREAM.perSecond);

    // Act
    await eventually(() => run.acknowledged.size >= STREAM.killAfterAcknowledged, 30_000);
    const appliedBeforeKill = new Set(await eventually(async () => {
      const ids = await auditedMessageIds(first, sendID);
      return ids.length >= 100 && ids;
    }, 30_000));
    first.signalGroup('SIGKILL');
    run.stop();
    await Promise.all([run.done, first.exited]);
    const journal = join(first.dataDir, 'event-journal');
    const leftBytes = journalBacklogBytes(journal);
    const publishedAgain = journaledPastCheckpoint(journal).filter((id) => appliedBeforeKill.has(id));
    const second = await start({ DATA_DIR: first.dataDir });

    // Assess: events already applied before the kill were published again, and are still applied once.
    expect(publishedAgain.length).toBeGreaterThan(0);
    expect(unforwardedFromBefore(second)).toBe(leftBytes);
    await expectAuditedOnce(second, sendID, run.acknowledged);
    await second.stop();
    expect(journalBacklogBytes(journal)).toBe(0);
  }, 180_000);

  it('forwards the whole journal on Ctrl-C after a burst, so the next start has nothing left to replay', async () => {
    // Prepare
    const first = await start({}, { launcher: 'npm' });
    const sendID = 'journal-ctrl-c';
    const burst = afterSends(sendID, 1_000);

    // Act
    const failed = await sendConcurrently(first.webhookBase, burst, 16);
    first.signalGroup('SIGINT');
    const exitCode = await first.exited;
    const leftBytes = journalBacklogBytes(join(first.dataDir, 'event-journal'));
    const second = await start({ DATA_DIR: first.dataDir });

    // Assess
    expect(failed).toBe(0);
    expect(exitCode).toBe(0);
    expect(leftBytes).toBe(0);
    expect(first.logLines()).toContainEqual(expect.objectContaining({ message: 'event journal closed', unforwardedBytes: 0 }));
    expect(unforwardedFromBefore(second)).toBe(0);
    await expectAuditedOnce(second, sendID, burst.keys());
    await second.stop();
  }, 180_000);

  it('has a blocked message\'s event journaled when its stop is answered, so kill -9 right after loses no violation', async () => {
    // Prepare
    const policyFile = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ blocked: ['badword'] }));
    const first = await start({ MODERATION_POLICY_FILE: policyFile });
    await eventually(() => first.logLines().some((line) => line.message === 'moderation policy in force'));
    const messageIDs = Array.from({ length: 30 }, (_, index) => `journal-blocked-${index}`);

    // Act
    const replies = await Promise.all(messageIDs.map((clientMsgID) => sendBlocked(first, clientMsgID)));
    first.signalGroup('SIGKILL');
    await first.exited;
    const journaled = eventsPastCheckpoint(join(first.dataDir, 'event-journal'));
    const second = await start({ DATA_DIR: first.dataDir, MODERATION_POLICY_FILE: policyFile });

    // Assess
    expect(replies.map((reply) => reply.errCode)).toEqual(messageIDs.map(() => HOOK_ERROR_CODES.messageBlocked));
    expect(journaled.filter((event) => event.eventType === 'moderation.blocked').map((event) => event.payload.clientMsgID).sort()).toEqual([...messageIDs].sort());
    const documents = createDynamoDocumentClient({ endpoint: second.dynamodbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    const recorded = await eventually(async () => {
      const { Items = [] } = await documents.send(new ScanCommand({ TableName: 'moderation-violations' }));
      // Keyed on the sender and `<send time>#<message ID>`: one item per message, however often its event arrives.
      const ours = Items.map((item) => String(item.occurredAtMessage).split('#')[1]).filter((id) => id?.startsWith('journal-blocked-'));
      return ours.length >= messageIDs.length && ours;
    }, 60_000);
    expect(recorded.sort()).toEqual([...messageIDs].sort());
    await second.stop();
  }, 180_000);
});

/** A one-to-one message carrying a blocked term, from a sender of its own (no repeat-offender penalty). */
async function sendBlocked(server: RunningServer, clientMsgID: string): Promise<{ errCode: number }> {
  const command = 'callbackBeforeSendSingleMsgCommand';
  const body = { ...readEvent(command), sendID: `sender-${clientMsgID}`, clientMsgID, content: JSON.stringify({ content: 'you badword' }) };
  const response = await fetch(`${server.webhookBase}/${command}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as { errCode: number };
}
