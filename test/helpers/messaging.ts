/** SNS and SQS on loopback (fauxqs), with the chat-events topic, for tests that publish. */
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';

export interface MessagingStandIn {
  readonly endpoint: string;
  readonly chatEventsTopicArn: string;
  stop(): Promise<void>;
}

export async function startMessaging(): Promise<MessagingStandIn> {
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
  const sns = new SNSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'chat-events' }));
  sns.destroy();
  return { endpoint, chatEventsTopicArn: TopicArn!, stop: () => app.close() };
}

/**
 * A queue subscribed to `topicArn` with raw delivery, as the workers' queues are, and only to the
 * events `filterPolicy` matches when given: where a test reads what reached the topic. Returns its URL.
 */
export async function subscribeTap(
  sqs: SQSClient,
  topic: { readonly endpoint: string; readonly topicArn: string },
  queueName: string,
  filterPolicy?: Record<string, unknown>,
): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const sns = new SNSClient({ endpoint: topic.endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  await sns.send(
    new SubscribeCommand({
      TopicArn: topic.topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes!.QueueArn!,
      Attributes: { RawMessageDelivery: 'true', ...(filterPolicy ? { FilterPolicy: JSON.stringify(filterPolicy) } : {}) },
    }),
  );
  sns.destroy();
  return QueueUrl!;
}
