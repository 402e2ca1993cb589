/**
 * Creates what the templates declare in the local stand-ins, from the templates themselves: every
 * DynamoDB table (keys, GSIs) in dynalite; every SNS topic, SQS queue (redrive policy, visibility
 * timeout), queue subscription (filter policy, raw delivery) and S3 bucket in fauxqs. A table or
 * subscription the app declares wrongly is then wrong here too.
 */
import { CreateTableCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CloudAssembly } from './cloud-assembly.ts';

export interface StandInClients {
  readonly dynamodb: DynamoDBClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
}

export async function provisionFromTemplates(assembly: CloudAssembly, clients: StandInClients): Promise<void> {
  for (const { stack, logicalId, resource } of assembly.resourcesOfType('AWS::DynamoDB::Table')) {
    const props = resource.Properties as CreateTableCommandInput & Record<string, unknown>;
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: assembly.physicalId(stack, logicalId),
        KeySchema: props.KeySchema,
        AttributeDefinitions: props.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        ...(props.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: props.GlobalSecondaryIndexes } : {}),
      }),
    );
  }
  for (const { stack, logicalId } of assembly.resourcesOfType('AWS::SNS::Topic')) {
    await clients.sns.send(new CreateTopicCommand({ Name: assembly.physicalId(stack, logicalId).split(':').at(-1)! }));
  }
  // Dead-letter queues first: a queue's redrive policy names its DLQ's ARN.
  const queues = assembly
    .resourcesOfType('AWS::SQS::Queue')
    .sort((a, b) => Number(a.resource.Properties?.RedrivePolicy !== undefined) - Number(b.resource.Properties?.RedrivePolicy !== undefined));
  for (const { stack, logicalId, resource } of queues) {
    const props = resource.Properties ?? {};
    const attributes: Record<string, string> = {};
    if (props.VisibilityTimeout !== undefined) attributes.VisibilityTimeout = String(props.VisibilityTimeout);
    if (props.MessageRetentionPeriod !== undefined) attributes.MessageRetentionPeriod = String(props.MessageRetentionPeriod);
    if (props.RedrivePolicy !== undefined) attributes.RedrivePolicy = JSON.stringify(assembly.resolve(stack, props.RedrivePolicy));
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: assembly.attribute(stack, logicalId, 'QueueName'), Attributes: attributes }));
    assembly.runtimeAttributes.set(`${stack.stackName}/${logicalId}.QueueUrl`, QueueUrl!);
  }
  for (const { stack, resource } of assembly.resourcesOfType('AWS::SNS::Subscription')) {
    const props = resource.Properties ?? {};
    const attributes: Record<string, string> = {};
    if (props.FilterPolicy !== undefined) attributes.FilterPolicy = JSON.stringify(props.FilterPolicy);
    attributes.FilterPolicyScope = String(props.FilterPolicyScope ?? 'MessageAttributes');
    if (props.RawMessageDelivery !== undefined) attributes.RawMessageDelivery = String(props.RawMessageDelivery);
    await clients.sns.send(
      new SubscribeCommand({
        TopicArn: assembly.resolveString(stack, props.TopicArn),
        Protocol: String(props.Protocol),
        Endpoint: assembly.resolveString(stack, props.Endpoint),
        Attributes: attributes,
      }),
    );
  }
  for (const { stack, logicalId } of assembly.resourcesOfType('AWS::S3::Bucket')) {
    await clients.s3.send(new CreateBucketCommand({ Bucket: assembly.physicalId(stack, logicalId) }));
  }
}
