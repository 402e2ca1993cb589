/**
 * Creates the service's resources in the local stand-ins, through the same SDK calls an operator
 * could use, from the definitions the CDK app also reads (tables, topic, queues). Idempotent, so
 * it runs on every start and keeps what DATA_DIR already holds.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { createS3Client } from '#shared/aws/s3-client.ts';
import { CLAIM_CHECK_BUCKET_ENV } from '#shared/config/claim-check-config.ts';
import { CHAT_EVENT_PAYLOADS_LOCAL_BUCKET, CHAT_EVENTS_TOPIC_NAME } from '#shared/events/topology.ts';
import { ensureServiceTables, SERVICE_TABLE_ENVIRONMENT } from './provision-tables.ts';

export interface LocalResources {
  readonly chatEventsTopicArn: string;
  /** Environment variables that carry the resources' names to the handlers, as CDK sets them in AWS. */
  readonly environment: Record<string, string>;
}

export async function provisionLocalResources(sns: SNSClient, dynamodb: DynamoDBClient): Promise<LocalResources> {
  const topic = await sns.send(new CreateTopicCommand({ Name: CHAT_EVENTS_TOPIC_NAME }));
  if (!topic.TopicArn) throw new Error(`fauxqs did not return an ARN for topic ${CHAT_EVENTS_TOPIC_NAME}`);
  await ensureServiceTables(dynamodb);
  // Events too big for the topic go here (shared/events/claim-check.ts); CreateBucket is idempotent.
  await createS3Client().send(new CreateBucketCommand({ Bucket: CHAT_EVENT_PAYLOADS_LOCAL_BUCKET }));
  const environment: Record<string, string> = {
    CHAT_EVENTS_TOPIC_ARN: topic.TopicArn,
    [CLAIM_CHECK_BUCKET_ENV]: CHAT_EVENT_PAYLOADS_LOCAL_BUCKET,
    ...SERVICE_TABLE_ENVIRONMENT,
  };
  return { chatEventsTopicArn: topic.TopicArn, environment };
}
