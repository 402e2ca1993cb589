/**
 * The local fauxqs (local/fauxqs-server.ts): loopback only, state kept in SQLite across a restart,
 * and in-flight messages a dead consumer held made visible again on request.
 */
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFauxqsServer, type FauxqsServer } from '../../local/fauxqs-server.ts';

const running: FauxqsServer[] = [];
async function start(dataDir?: string): Promise<{ server: FauxqsServer; sqs: SQSClient; queueUrl: string }> {
  const server = await startFauxqsServer({ host: '127.0.0.1', ...(dataDir ? { dataDir } : {}) });
  running.push(server);
  const sqs = new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'q', Attributes: { VisibilityTimeout: '180' } }));
  return { server, sqs, queueUrl: QueueUrl! };
}

async function receiveBodies(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  return Messages.map((message) => message.Body!);
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

describe('Function: startFauxqsServer()', () => {
  it('listens on the loopback address it is given', async () => {
    // Act
    const { server } = await start();

    // Assess
    expect(new URL(server.endpoint).hostname).toBe('127.0.0.1');
  });

  it('keeps a sent message and a received one across a restart on the same directory', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'fauxqs-'));
    const first = await start(dataDir);
    await first.sqs.send(new SendMessageCommand({ QueueUrl: first.queueUrl, MessageBody: 'held' }));
    expect(await receiveBodies(first.sqs, first.queueUrl)).toEqual(['held']);
    await first.sqs.send(new SendMessageCommand({ QueueUrl: first.queueUrl, MessageBody: 'waiting' }));

    // Act
    await first.server.close();
    const second = await start(dataDir);
    const visible = await receiveBodies(second.sqs, second.queueUrl);
    const released = second.server.releaseInFlight(['q']);
    const afterRelease = await receiveBodies(second.sqs, second.queueUrl);

    // Assess: the received one stays in flight (180 s) until released.
    expect(visible).toEqual(['waiting']);
    expect(released).toBe(2);
    expect(afterRelease.sort()).toEqual(['held', 'waiting']);
  });

  it('forgets a deleted message for good', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'fauxqs-'));
    const first = await start(dataDir);
    await first.sqs.send(new SendMessageCommand({ QueueUrl: first.queueUrl, MessageBody: 'done' }));
    const { Messages = [] } = await first.sqs.send(new ReceiveMessageCommand({ QueueUrl: first.queueUrl, WaitTimeSeconds: 0 }));
    await first.sqs.send(new DeleteMessageCommand({ QueueUrl: first.queueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle! }));

    // Act
    await first.server.close();
    const second = await start(dataDir);
    second.server.releaseInFlight(['q']);

    // Assess
    expect(await receiveBodies(second.sqs, second.queueUrl)).toEqual([]);
  });

  it('keeps nothing across a restart without a directory', async () => {
    // Prepare
    const first = await start();
    await first.sqs.send(new SendMessageCommand({ QueueUrl: first.queueUrl, MessageBody: 'gone' }));

    // Act
    await first.server.close();
    const second = await start();

    // Assess
    expect(await receiveBodies(second.sqs, second.queueUrl)).toEqual([]);
  });

  it('releases only the queues it is asked to', async () => {
    // Prepare
    const { server, sqs, queueUrl } = await start();
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'held' }));
    await receiveBodies(sqs, queueUrl);

    // Act
    const released = server.releaseInFlight(['another']);

    // Assess
    expect(released).toBe(0);
    expect(await receiveBodies(sqs, queueUrl)).toEqual([]);
  });
});
