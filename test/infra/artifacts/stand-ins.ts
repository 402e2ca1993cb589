/**
 * The local stand-ins a synthesized app runs against: dynalite for DynamoDB, fauxqs for SNS, SQS
 * and S3, each behind a call recorder, provisioned from the assembly's templates. The harness's
 * own clients (provisioning, reading effects) talk to the stand-ins directly, so only the
 * functions' calls (and their event source mappings') are recorded.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDocumentClient, type DynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';
import type { AddressInfo } from 'node:net';
import { LOCAL_REGION, type CloudAssembly } from './cloud-assembly.ts';
import { startAwsCallRecorder, type RecordedAwsCall } from './aws-call-recorder.ts';
import type { StandInEndpoints } from './deployed-functions.ts';
import { provisionFromTemplates } from './provision.ts';

export interface StandIns {
  /** Where the functions send their calls (the recorders). */
  readonly endpoints: StandInEndpoints;
  readonly calls: RecordedAwsCall[];
  readonly documents: DynamoDocumentClient;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  /** An SQS client signed as `principal` and recorded, as Lambda's event source mapping for that function. */
  sqsAs(principal: string): SQSClient;
  stop(): Promise<void>;
}

export async function startStandIns(assembly: CloudAssembly): Promise<StandIns> {
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', () => resolve()));
  const dynamoEndpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  const messaging = buildApp({ logger: false });
  const messagingEndpoint = await messaging.listen({ port: 0, host: '127.0.0.1' });

  const calls: RecordedAwsCall[] = [];
  const recorders = [await startAwsCallRecorder(dynamoEndpoint, calls), await startAwsCallRecorder(messagingEndpoint, calls)];
  const settings = (endpoint: string, principal = 'harness') => ({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: principal, secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const dynamodb = new DynamoDBClient(settings(dynamoEndpoint));
  const sqs = new SQSClient({ ...settings(messagingEndpoint), useQueueUrlAsEndpoint: false });
  const sns = new SNSClient(settings(messagingEndpoint));
  const s3 = new S3Client({ ...settings(messagingEndpoint), forcePathStyle: true });
  await provisionFromTemplates(assembly, { dynamodb, sns, sqs, s3 });
  const extra: SQSClient[] = [];
  return {
    endpoints: { dynamodb: recorders[0]!.endpoint, messaging: recorders[1]!.endpoint },
    calls,
    documents: createDynamoDocumentClient({ ...settings(dynamoEndpoint), attemptTimeoutMs: 30_000 }),
    sqs,
    s3,
    sqsAs(principal) {
      const client = new SQSClient({ ...settings(recorders[1]!.endpoint, principal), useQueueUrlAsEndpoint: false });
      extra.push(client);
      return client;
    },
    async stop() {
      for (const client of [dynamodb, sqs, sns, s3, ...extra]) client.destroy();
      await Promise.all(recorders.map((recorder) => recorder.close()));
      await messaging.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}
