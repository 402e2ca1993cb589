/**
 * Creates each consumer queue of the topology in fauxqs with its DLQ and redrive policy, and
 * subscribes it to the chat-events topic with its filter policy (raw delivery, so consumers read
 * the envelope as in AWS). Reads the same QUEUE_SUBSCRIPTIONS as the CDK messaging stack.
 * Idempotent: CreateQueue and Subscribe return the existing queue or subscription.
 */
import { type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  DLQ_RETENTION_SECONDS,
  DLQ_SUFFIX,
  filterPolicyOf,
  QUEUE_SUBSCRIPTIONS,
  type QueueSubscription,
} from '#shared/events/topology.ts';

export interface LocalQueue {
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** Provisions every subscription; returns the queue URLs by queue name. */
export async function ensureQueues(
  clients: { readonly sqs: SQSClient; readonly sns: SNSClient },
  topicArn: string,
  subscriptions: readonly QueueSubscription[] = QUEUE_SUBSCRIPTIONS,
): Promise<Record<string, LocalQueue>> {
  const queues: Record<string, LocalQueue> = {};
  for (const subscription of subscriptions) {
    queues[subscription.name] = await ensureQueue(clients, topicArn, subscription);
  }
  return queues;
}

async function ensureQueue(
  { sqs, sns }: { readonly sqs: SQSClient; readonly sns: SNSClient },
  topicArn: string,
  subscription: QueueSubscription,
): Promise<LocalQueue> {
  const dlqName = `${subscription.name}${DLQ_SUFFIX}`;
  const dlq = await sqs.send(
    new CreateQueueCommand({ QueueName: dlqName, Attributes: { MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS) } }),
  );
  const deadLetterQueueUrl = required(dlq.QueueUrl, `queue URL of ${dlqName}`);
  const dlqArn = await queueArn(sqs, deadLetterQueueUrl);

  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: subscription.name,
      Attributes: {
        VisibilityTimeout: String(subscription.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: subscription.maxReceiveCount }),
      },
    }),
  );
  const queueUrl = required(queue.QueueUrl, `queue URL of ${subscription.name}`);

  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: await queueArn(sqs, queueUrl),
      Attributes: {
        FilterPolicy: JSON.stringify(filterPolicyOf(subscription)),
        FilterPolicyScope: 'MessageAttributes',
        RawMessageDelivery: 'true',
      },
    }),
  );
  return { queueUrl, deadLetterQueueUrl };
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return required(Attributes?.QueueArn, `ARN of ${queueUrl}`);
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new Error(`fauxqs returned no ${what}`);
  return value;
}
