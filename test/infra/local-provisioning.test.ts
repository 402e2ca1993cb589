/**
 * The local provisioning builds, in dynalite and fauxqs, what the CDK app builds in AWS, from
 * the same definitions: tables with their keys and GSIs, queues with DLQs and filtered
 * subscriptions.
 */
import { DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableDefinition } from '#shared/store/table-definitions.ts';
import { startEmbeddedAws, type EmbeddedAws } from '../../local/embedded-aws.ts';
import { ensureQueues } from '../../local/provision-queues.ts';
import { ensureServiceTables, ensureTables } from '../../local/provision-tables.ts';
import { AUDIT_SUBSCRIPTION } from './helpers.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';

const PRESENCE: Record<'presence', TableDefinition> = {
  presence: {
    localName: 'presence-test',
    envVar: 'PRESENCE_TABLE_NAME',
    partitionKey: { name: 'userID', type: 'S' },
    sortKey: { name: 'platformID', type: 'N' },
    globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: 'S' }, projection: 'KEYS_ONLY' }],
    timeToLiveAttribute: 'expiresAt',
  },
};

describe('Local provisioning', () => {
  let dataDir: string;
  let aws: EmbeddedAws;
  let dynamodb: DynamoDBClient;
  let sqs: SQSClient;
  let sns: SNSClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'openim-hooks-provision-'));
    aws = await startEmbeddedAws(dataDir);
    dynamodb = new DynamoDBClient({ endpoint: aws.dynamodbEndpoint, region, credentials });
    sqs = new SQSClient({ endpoint: aws.messagingEndpoint, region, credentials });
    sns = new SNSClient({ endpoint: aws.messagingEndpoint, region, credentials });
  });

  afterAll(async () => {
    await aws.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('Function: ensureTables()', () => {
    it('creates the policy table keyed on policyId and version', async () => {
      const names = await ensureServiceTables(dynamodb);
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: names.moderationPolicy }));
      expect(Table?.KeySchema).toEqual([
        { AttributeName: 'policyId', KeyType: 'HASH' },
        { AttributeName: 'version', KeyType: 'RANGE' },
      ]);
    });

    it('creates sort keys and GSIs from the definition', async () => {
      await ensureTables(dynamodb, PRESENCE);
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'presence-test' }));
      expect(Table?.KeySchema).toEqual([
        { AttributeName: 'userID', KeyType: 'HASH' },
        { AttributeName: 'platformID', KeyType: 'RANGE' },
      ]);
      expect(Table?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe('byStatus');
    });

    it('keeps existing tables when run again', async () => {
      await expect(ensureTables(dynamodb, PRESENCE)).resolves.toEqual({ presence: 'presence-test' });
    });

    it('returns once the tables are ACTIVE, on an engine that takes its time to create them', async () => {
      // Prepare: dynalite answers CreateTable at once and makes the table ACTIVE 300 ms later.
      const slow = dynalite({ createTableMs: 300 });
      await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', () => resolve()));
      const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, region, credentials });
      try {
        // Act
        await ensureTables(client, PRESENCE);

        // Assess: an item call right away finds the table.
        const { Table } = await client.send(new DescribeTableCommand({ TableName: 'presence-test' }));
        expect(Table?.TableStatus).toBe('ACTIVE');
        await expect(client.send(new PutItemCommand({ TableName: 'presence-test', Item: { userID: { S: 'u1' }, platformID: { N: '1' } } }))).resolves.toBeDefined();
      } finally {
        await new Promise<void>((resolve) => slow.close(() => resolve()));
      }
    });
  });

  describe('Function: ensureQueues()', () => {
    let topicArn: string;
    let queueUrl: string;

    beforeAll(async () => {
      topicArn = (await sns.send(new CreateTopicCommand({ Name: 'chat-events' }))).TopicArn ?? '';
      const queues = await ensureQueues({ sqs, sns }, topicArn, [AUDIT_SUBSCRIPTION]);
      queueUrl = queues.audit?.queueUrl ?? '';
    });

    it('redrives the queue to its DLQ after maxReceiveCount receives', async () => {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }));
      const policy = JSON.parse(Attributes?.RedrivePolicy ?? '{}') as { deadLetterTargetArn: string; maxReceiveCount: number };
      expect(policy.deadLetterTargetArn).toMatch(/:audit-dlq$/);
      expect(Number(policy.maxReceiveCount)).toBe(5);
    });

    it('delivers a matching event raw and filters out the others', async () => {
      const publish = (eventType: string) =>
        sns.send(
          new PublishCommand({
            TopicArn: topicArn,
            Message: JSON.stringify({ eventType }),
            MessageAttributes: { eventType: { DataType: 'String', StringValue: eventType } },
          }),
        );
      await publish('callbackBeforeSendSingleMsgCommand');
      await publish('callbackAfterUserOnlineCommand');
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      expect(Messages?.map((m) => JSON.parse(m.Body ?? '{}').eventType)).toEqual(['callbackAfterUserOnlineCommand']);
    });

    it('is idempotent: a second run returns the same queue', async () => {
      const again = await ensureQueues({ sqs, sns }, topicArn, [AUDIT_SUBSCRIPTION]);
      expect(again.audit?.queueUrl).toBe(queueUrl);
    });
  });
});
