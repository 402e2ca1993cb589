/**
 * The local fauxqs (local/fauxqs-server.ts): loopback only, state kept in SQLite across a restart,
 * every call's writes committed before it is answered (read back through a second connection, as
 * another process would see the file), and in-flight messages a dead consumer held made visible
 * again on request. A commit is made to fail the way SQLite fails one: a trigger the test adds to
 * the database makes a message body of "poison" leave a deferred foreign key violated.
 */
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { buildApp } from 'fauxqs';
import { afterEach, describe, expect, it } from 'vitest';
import { answerOnlyWhatIsCommitted, startFauxqsServer, type FauxqsServer } from '../../local/fauxqs-server.ts';
import { GroupCommit } from '../../local/sqlite-group-commit.ts';

const running: FauxqsServer[] = [];
async function start(dataDir?: string): Promise<{ server: FauxqsServer; sqs: SQSClient; queueUrl: string }> {
  const server = await startFauxqsServer({ host: '127.0.0.1', ...(dataDir ? { dataDir } : {}) });
  running.push(server);
  // One attempt: a refused call is seen as refused, not retried into another message.
  const sqs = new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1 });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'q', Attributes: { VisibilityTimeout: '180' } }));
  return { server, sqs, queueUrl: QueueUrl! };
}

async function receiveBodies(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  return Messages.map((message) => message.Body!);
}

/** The message bodies stored in fauxqs' database, read through a connection of the test's own. */
function storedBodies(dataDir: string): string[] {
  const db = new DatabaseSync(join(dataDir, 'fauxqs.db'), { readOnly: true });
  try {
    return (db.prepare('SELECT body FROM sqs_messages ORDER BY body').all() as { body: string }[]).map((row) => row.body);
  } finally {
    db.close();
  }
}

/** Makes the commit of any write that stores a message with the body "poison" fail. */
function poisonCommits(dataDir: string): void {
  const db = new DatabaseSync(join(dataDir, 'fauxqs.db'));
  db.exec(`CREATE TABLE poison_owners (id TEXT PRIMARY KEY);
    CREATE TABLE poison (owner TEXT REFERENCES poison_owners(id) DEFERRABLE INITIALLY DEFERRED);
    CREATE TRIGGER poison_on_store AFTER INSERT ON sqs_messages WHEN NEW.body = 'poison' BEGIN INSERT INTO poison VALUES ('nobody'); END;`);
  db.close();
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

  it('commits a call\'s writes before anything of its answer is sent', async () => {
    // Prepare: fauxqs' app with a call that writes, and a hook that runs after the commit's and
    // before the answer is written, noting what another connection sees at that moment.
    const file = join(mkdtempSync(join(tmpdir(), 'fauxqs-')), 'db.sqlite');
    const db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode = WAL; CREATE TABLE items (id TEXT PRIMARY KEY)');
    const reader = new DatabaseSync(file, { readOnly: true });
    const writes = new GroupCommit(db, () => undefined);
    const insert = db.prepare('INSERT INTO items (id) VALUES (?)');
    writes.join(insert);
    const app = buildApp({ logger: false });
    answerOnlyWhatIsCommitted(app, writes);
    app.post('/write-two', async () => {
      insert.run('a');
      insert.run('b');
      return { written: 2 };
    });
    const seenAsTheAnswerLeaves: unknown[] = [];
    app.addHook('onSend', (_request, _reply, payload, done) => {
      seenAsTheAnswerLeaves.push(reader.prepare('SELECT count(*) AS n FROM items').get());
      done(null, payload);
    });

    // Act
    const response = await app.inject({ method: 'POST', url: '/write-two' });
    await app.close();
    db.close();
    reader.close();

    // Assess
    expect(response.statusCode).toBe(200);
    expect(seenAsTheAnswerLeaves).toEqual([{ n: 2 }]);
  });

  it('answers with an error a call whose writes could not be committed, and keeps none of them', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'fauxqs-'));
    const first = await start(dataDir);
    poisonCommits(dataDir);

    // Act
    const batch = first.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: first.queueUrl, Entries: [{ Id: 'innocent', MessageBody: 'innocent' }, { Id: 'poison', MessageBody: 'poison' }] }),
    );
    await expect(batch).rejects.toThrow();
    await first.sqs.send(new SendMessageCommand({ QueueUrl: first.queueUrl, MessageBody: 'later' }));
    await first.server.close();
    const second = await start(dataDir);

    // Assess
    expect(storedBodies(dataDir)).toEqual(['later']);
    expect(await receiveBodies(second.sqs, second.queueUrl)).toEqual(['later']);
  });

  it('answers with an error a call under way when a commit failed, whose writes may have been in it', async () => {
    // Prepare: a consumer waits on the empty queue; the poisoned message wakes it.
    const dataDir = mkdtempSync(join(tmpdir(), 'fauxqs-'));
    const { sqs, queueUrl } = await start(dataDir);
    poisonCommits(dataDir);
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));

    // Act
    const poisoned = sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'poison' }));

    // Assess
    await expect(poisoned).rejects.toThrow();
    await expect(waiting).rejects.toThrow();
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'later' }));
    expect(storedBodies(dataDir)).toEqual(['later']);
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
