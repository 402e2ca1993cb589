/**
 * The journal's forwarder against real fauxqs (SNS fanned out to an SQS queue): events journaled
 * before a start go out first, each new one once; a topic that is down is retried with backoff
 * while the journal keeps taking events; a crash after publishing but before the checkpoint
 * publishes the same events again, eventId and all, which is what lets consumers apply them once.
 */
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';
import { mkdtempSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSnsPublishBatch } from '#shared/aws/sns-publish-batch.ts';
import { buildChatEvent } from '#shared/callbacks/after-event.ts';
import type { ChatEvent } from '#shared/events/chat-event.ts';
import { EventJournal, journalBacklogBytes } from '#shared/events/event-journal.ts';
import { InProcessEntryPublisher } from '#shared/events/journal-entry-publisher.ts';
import { JournalForwarder } from '#shared/events/journal-forwarder.ts';
import { SnsChatEventPublisher } from '#shared/events/sns-chat-event-publisher.ts';
import { ensureQueues } from '../../local/provision-queues.ts';
import { readEventBody } from '../helpers/events.ts';
import { eventually } from '../helpers/eventually.ts';

const COMMAND = 'callbackAfterSendGroupMsgCommand';
const credentials = { accessKeyId: 't', secretAccessKey: 't' };

function afterEvents(count: number, first = 0): ChatEvent[] {
  return Array.from({ length: count }, (_, index) => buildChatEvent({ command: COMMAND, body: readEventBody(COMMAND), operationID: `op-${first + index}` }));
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** fauxqs on `port`, with the chat-events topic and one queue subscribed to after-sends. */
async function startTopic(port: number) {
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ port, host: '127.0.0.1' });
  const sns = new SNSClient({ endpoint, region: 'us-east-1', credentials });
  const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials });
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'chat-events' }))).TopicArn!;
  const queues = await ensureQueues({ sqs, sns }, topicArn, [{ name: 'forwarded', eventTypes: [COMMAND], maxReceiveCount: 2, visibilityTimeoutSeconds: 30 }]);
  const received: string[] = [];
  /** The eventIds delivered to the queue so far, in order, duplicates included. */
  const receive = async () => {
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.forwarded!.queueUrl, MaxNumberOfMessages: 10 }));
      if (Messages.length === 0) return received;
      received.push(...Messages.map((message) => (JSON.parse(message.Body!) as ChatEvent).eventId));
    }
  };
  return { endpoint, topicArn, receive, stop: () => app.close() };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function publisherTo(endpoint: string, topicArn: string): InProcessEntryPublisher {
  return new InProcessEntryPublisher(new SnsChatEventPublisher(createSnsPublishBatch({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }), topicArn));
}

describe('Class: JournalForwarder', () => {
  it('forwards what was journaled before it started first, then each new event once', async () => {
    // Prepare
    const topic = await startTopic(0);
    cleanups.push(topic.stop);
    const directory = mkdtempSync(join(tmpdir(), 'forwarder-'));
    const before = afterEvents(30);
    const earlier = await EventJournal.open(directory);
    for (const event of before) await earlier.append(JSON.stringify(event));
    await earlier.close();
    const journal = await EventJournal.open(directory, { checkpointIntervalMs: 1 });
    const forwarder = new JournalForwarder(journal, publisherTo(topic.endpoint, topic.topicArn));

    // Act
    forwarder.start();
    const after = afterEvents(25, 30);
    for (const event of after) await journal.append(JSON.stringify(event));
    const received = await eventually(async () => {
      const ids = await topic.receive();
      return ids.length >= 55 && ids;
    });
    const counts = await forwarder.stop(1_000);
    await journal.close();

    // Assess
    expect(received.slice(0, 30).sort()).toEqual(before.map((event) => event.eventId).sort());
    expect([...received].sort()).toEqual([...before, ...after].map((event) => event.eventId).sort());
    expect(counts).toEqual({ forwarded: 55, refused: 0, failedAttempts: 0 });
    expect(journalBacklogBytes(directory)).toBe(0);
  });

  it('lets events that come one at a time gather for lingerMs, then publishes them together', async () => {
    // Prepare: an idle forwarder, and a publisher that counts its calls
    const topic = await startTopic(0);
    cleanups.push(topic.stop);
    const journal = await EventJournal.open(mkdtempSync(join(tmpdir(), 'forwarder-')), { checkpointIntervalMs: 1 });
    const inner = publisherTo(topic.endpoint, topic.topicArn);
    const batches: number[] = [];
    const forwarder = new JournalForwarder(
      journal,
      { publish: (texts) => (batches.push(texts.length), inner.publish(texts)), close: () => inner.close() },
      { lingerMs: 200 },
    );
    forwarder.start();
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Act: ten events, each journaled after the one before
    const events = afterEvents(10);
    for (const event of events) await journal.append(JSON.stringify(event));
    const received = await eventually(async () => {
      const ids = await topic.receive();
      return ids.length >= 10 && ids;
    });
    await forwarder.stop(1_000);
    await journal.close();

    // Assess: one read and one hand-over for all ten, not one each
    expect(batches).toEqual([10]);
    expect([...received].sort()).toEqual(events.map((event) => event.eventId).sort());
  });

  it('retries with backoff while the topic is down, takes events meanwhile, and forwards them all once it is back', async () => {
    // Prepare: the forwarder's endpoint resets every connection (the stand-in down), later it passes them to fauxqs.
    const topic = await startTopic(0);
    cleanups.push(topic.stop);
    const port = await freePort();
    const down = createServer((socket) => socket.destroy()).listen(port, '127.0.0.1');
    const directory = mkdtempSync(join(tmpdir(), 'forwarder-'));
    const journal = await EventJournal.open(directory, { checkpointIntervalMs: 1 });
    const forwarder = new JournalForwarder(journal, publisherTo(`http://127.0.0.1:${port}`, topic.topicArn), { firstBackoffMs: 20, maxBackoffMs: 200 });
    const events = afterEvents(40);
    forwarder.start();

    // Act
    const appendStarted = performance.now();
    for (const event of events) await journal.append(JSON.stringify(event));
    const appendMs = performance.now() - appendStarted;
    await eventually(() => forwarder.counts().failedAttempts >= 3, 10_000);
    await new Promise((resolve) => down.close(resolve));
    const piped = new Set<Socket>();
    const up = createServer((socket) => {
      const upstream = connect(Number(new URL(topic.endpoint).port), '127.0.0.1');
      piped.add(socket).add(upstream);
      socket.pipe(upstream).pipe(socket);
    }).listen(port, '127.0.0.1');
    cleanups.push(() => new Promise((resolve) => (up.close(resolve), piped.forEach((socket) => socket.destroy()))));
    const received = await eventually(async () => {
      const ids = await topic.receive();
      return ids.length >= 40 && ids;
    });
    const counts = await forwarder.stop(1_000);
    await journal.close();

    // Assess
    expect(appendMs).toBeLessThan(2_000);
    expect([...received].sort()).toEqual(events.map((event) => event.eventId).sort());
    expect(counts.forwarded).toBe(40);
    expect(counts.failedAttempts).toBeGreaterThanOrEqual(3);
  });

  it('stops within its deadline while the topic is down and leaves the events for the next start', async () => {
    // Prepare
    const port = await freePort();
    const directory = mkdtempSync(join(tmpdir(), 'forwarder-'));
    const journal = await EventJournal.open(directory, { checkpointIntervalMs: 1 });
    const forwarder = new JournalForwarder(journal, publisherTo(`http://127.0.0.1:${port}`, 'arn:aws:sns:us-east-1:000000000000:chat-events'), { firstBackoffMs: 50 });
    for (const event of afterEvents(5)) await journal.append(JSON.stringify(event));
    forwarder.start();
    await eventually(() => forwarder.counts().failedAttempts > 0, 10_000);

    // Act
    const stopStarted = performance.now();
    const counts = await forwarder.stop(300);
    const stopMs = performance.now() - stopStarted;
    await journal.close();

    // Assess
    expect(stopMs).toBeLessThan(1_500);
    expect(counts.forwarded).toBe(0);
    expect(journalBacklogBytes(directory)).toBeGreaterThan(0);
  });

  it('publishes the events forwarded after the last checkpoint again, with their own eventIds, after a crash', async () => {
    // Prepare
    const topic = await startTopic(0);
    cleanups.push(topic.stop);
    const directory = mkdtempSync(join(tmpdir(), 'forwarder-'));
    const events = afterEvents(20);
    // A checkpoint interval no test waits out: the crash comes before any checkpoint is written.
    const crashed = await EventJournal.open(directory, { checkpointIntervalMs: 60_000 });
    for (const event of events) await crashed.append(JSON.stringify(event));
    const first = new JournalForwarder(crashed, publisherTo(topic.endpoint, topic.topicArn));
    first.start();
    await eventually(() => first.counts().forwarded === 20);
    // The crash: nothing of the first forwarder's is written after this (no stop, no close).

    // Act
    const reopened = await EventJournal.open(directory, { checkpointIntervalMs: 1 });
    const second = new JournalForwarder(reopened, publisherTo(topic.endpoint, topic.topicArn));
    second.start();
    const received = await eventually(async () => {
      const ids = await topic.receive();
      return ids.length >= 40 && ids;
    });
    await second.stop(1_000);
    await reopened.close();

    // Assess
    const ids = events.map((event) => event.eventId).sort();
    expect([...received].sort()).toEqual([...ids, ...ids].sort());
    expect(journalBacklogBytes(directory)).toBe(0);
  });
});
