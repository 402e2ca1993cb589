/**
 * The after-callback's publisher by configuration, and the journal never breaking chat: on a real
 * full filesystem (a 64 KiB tmpfs, where the machine lets us mount one) every event still reaches
 * the topic, directly, with one error line and a count per event.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildChatEvent } from '#shared/callbacks/after-event.ts';
import { InvalidConfigError } from '#shared/config/errors.ts';
import { journalingPublisherFromEnv, stopEventJournals } from '#shared/events/callback-event-journal.ts';
import type { ChatEvent } from '#shared/events/chat-event.ts';
import type { ChatEventPublisher } from '#shared/events/chat-event-publisher.ts';
import { EventJournal, journalBacklogBytes } from '#shared/events/event-journal.ts';
import { InProcessEntryPublisher } from '#shared/events/journal-entry-publisher.ts';
import { JournalingChatEventPublisher } from '#shared/events/journaling-chat-event-publisher.ts';
import { readEventBody } from '../helpers/events.ts';
import { captureLogs } from '../helpers/lambda.ts';

const COMMAND = 'callbackAfterSendGroupMsgCommand';
const afterEvent = (index: number) => buildChatEvent({ command: COMMAND, body: readEventBody(COMMAND), operationID: `op-${index}` });

/** The topic's side: what reached it. */
class RecordingTopic implements ChatEventPublisher {
  readonly published: ChatEvent[] = [];
  publish(event: ChatEvent): Promise<void> {
    this.published.push(event);
    return Promise.resolve();
  }
}

/** A 64 KiB tmpfs, or undefined where mounting is not allowed (not root, no CAP_SYS_ADMIN). */
function mountSmallTmpfs(): string | undefined {
  const mountPoint = mkdtempSync(join(tmpdir(), 'full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return mountPoint;
  } catch {
    rmSync(mountPoint, { recursive: true });
    return undefined;
  }
}
const fullDisk = mountSmallTmpfs();

afterAll(() => {
  if (fullDisk) execFileSync('umount', [fullDisk]);
});

describe('Class: JournalingChatEventPublisher', () => {
  it.runIf(fullDisk)('publishes every event directly once the disk is full, with one error line and a count per event', async () => {
    // Prepare
    const journal = await EventJournal.open(join(fullDisk!, 'event-journal'));
    const topic = new RecordingTopic();
    const publisher = new JournalingChatEventPublisher(journal, topic);
    const events = Array.from({ length: 200 }, (_, index) => afterEvent(index));

    // Act
    const { lines } = await captureLogs(async () => {
      for (const event of events) await publisher.publish(event);
    });
    await journal.close();

    // Assess: what the journal took and what went directly are every event, once.
    const journaled = journalBacklogBytes(join(fullDisk!, 'event-journal'));
    const failures = lines.filter((line) => 'EventJournalFailed' in line).length;
    expect(failures).toBeGreaterThan(0);
    expect(topic.published).toHaveLength(failures);
    expect(topic.published).toEqual(events.slice(events.length - failures));
    expect(journaled).toBeGreaterThan(0);
    expect(lines.filter((line) => line.message === 'the event journal cannot take events; publishing them directly until it can')).toEqual([
      expect.objectContaining({ level: 'ERROR', error: expect.objectContaining({ code: 'ENOSPC' }) }),
    ]);
  });

  it('publishes directly once the journal is closed (the server stopping)', async () => {
    // Prepare
    const journal = await EventJournal.open(mkdtempSync(join(tmpdir(), 'closed-journal-')));
    await journal.close();
    const topic = new RecordingTopic();
    const event = afterEvent(1);

    // Act
    await captureLogs(() => new JournalingChatEventPublisher(journal, topic).publish(event));

    // Assess
    expect(topic.published).toEqual([event]);
  });
});

describe('Function: journalingPublisherFromEnv()', () => {
  it('gives the topic itself when no journal directory is configured (Lambda)', async () => {
    // Prepare
    const topic = new RecordingTopic();

    // Act
    const publisher = await journalingPublisherFromEnv(topic, {});

    // Assess
    expect(publisher).toBe(topic);
  });

  it('journals in the configured directory and forwards to the topic in the background', async () => {
    // Prepare
    const directory = join(mkdtempSync(join(tmpdir(), 'configured-')), 'event-journal');
    const topic = new RecordingTopic();
    const event = afterEvent(2);

    // Act
    const { result: publisher } = await captureLogs(() =>
      journalingPublisherFromEnv(topic, { EVENT_JOURNAL_DIR: directory }, { entries: () => new InProcessEntryPublisher(topic) }),
    );
    await publisher.publish(event);
    await captureLogs(() => stopEventJournals(1_000));

    // Assess
    expect(publisher).toBeInstanceOf(JournalingChatEventPublisher);
    expect(topic.published).toEqual([event]);
    expect(journalBacklogBytes(directory)).toBe(0);
  });

  it('shares one journal and one forwarder between the handlers of a process', async () => {
    // Prepare
    const directory = join(mkdtempSync(join(tmpdir(), 'shared-')), 'event-journal');
    const forwardedTo = new RecordingTopic();
    const entryPublishers: InProcessEntryPublisher[] = [];
    const env = { EVENT_JOURNAL_DIR: directory };
    const options = { entries: () => entryPublishers[entryPublishers.push(new InProcessEntryPublisher(forwardedTo)) - 1]! };

    // Act: both handlers start at once, as they may at a cold start.
    const { result: [before, after], lines } = await captureLogs(() =>
      Promise.all([journalingPublisherFromEnv(new RecordingTopic(), env, options), journalingPublisherFromEnv(new RecordingTopic(), env, options)]),
    );
    const events = [afterEvent(1), afterEvent(2)];
    await before.publish(events[0]!);
    await after.publish(events[1]!);
    await captureLogs(() => stopEventJournals(1_000));

    // Assess
    expect(entryPublishers).toHaveLength(1);
    expect(lines.filter((line) => line.message === 'callback events are journaled and forwarded in the background')).toHaveLength(1);
    expect(forwardedTo.published).toEqual(events);
    expect(journalBacklogBytes(directory)).toBe(0);
  });

  it.each([
    { $case: 'a relative path', env: { EVENT_JOURNAL_DIR: '.data/event-journal' }, reason: 'must be an absolute path' },
    { $case: 'a Lambda function', env: { EVENT_JOURNAL_DIR: '/tmp/event-journal', AWS_LAMBDA_FUNCTION_NAME: 'after-callback' }, reason: "a Lambda instance's disk does not outlive it" },
    { $case: 'a checkpoint interval of 0', env: { EVENT_JOURNAL_DIR: '/tmp/event-journal', EVENT_JOURNAL_CHECKPOINT_MS: '0' }, reason: 'EVENT_JOURNAL_CHECKPOINT_MS' },
  ])('refuses $case with the reason', async ({ env, reason }) => {
    // Act
    const configured = journalingPublisherFromEnv(new RecordingTopic(), env);

    // Assess
    await expect(configured).rejects.toThrow(InvalidConfigError);
    await expect(configured).rejects.toThrow(reason);
  });

  it('refuses a directory it cannot create, naming it', async () => {
    // Prepare: a file where the directory would be.
    const parent = mkdtempSync(join(tmpdir(), 'not-a-dir-'));
    const file = join(parent, 'file');
    execFileSync('touch', [file]);

    // Act
    const configured = journalingPublisherFromEnv(new RecordingTopic(), { EVENT_JOURNAL_DIR: join(file, 'event-journal') });

    // Assess
    await expect(configured).rejects.toThrow(`EVENT_JOURNAL_DIR: ${join(file, 'event-journal')} cannot hold the event journal`);
  });
});
