/**
 * One consumer's queue on the chat-events topic, from its entry in QUEUE_SUBSCRIPTIONS: a DLQ,
 * the queue redriving to it after `maxReceiveCount` receives, both encrypted (SSE-SQS) and
 * refusing non-TLS requests, and the SNS subscription with raw delivery and the filter policy on
 * the `eventType` attribute. The local provisioning builds the same from the same entry.
 */
import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DLQ_RETENTION_SECONDS, DLQ_SUFFIX, filterPolicyOf, type QueueSubscription } from '#shared/events/topology.ts';

export interface SubscribedQueueProps {
  readonly subscription: QueueSubscription;
  readonly topic: sns.ITopic;
  /** Physical names are `<prefix>-<name>` and `<prefix>-<name>-dlq`. */
  readonly prefix: string;
}

export class SubscribedQueue extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly subscription: QueueSubscription;

  constructor(scope: Construct, id: string, props: SubscribedQueueProps) {
    super(scope, id);
    const { subscription } = props;
    this.subscription = subscription;

    // 1. The DLQ keeps what the consumer gave up on, for the maximum retention.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${props.prefix}-${subscription.name}${DLQ_SUFFIX}`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(DLQ_RETENTION_SECONDS),
    });

    // 2. The queue redrives to it after maxReceiveCount receives.
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: `${props.prefix}-${subscription.name}`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(subscription.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: subscription.maxReceiveCount },
    });

    // 3. Raw delivery, so consumers read the chat event itself, filtered on its eventType attribute.
    const filterPolicy = Object.fromEntries(
      Object.entries(filterPolicyOf(subscription)).map(([attribute, conditions]) => [
        attribute,
        new sns.SubscriptionFilter([...conditions]),
      ]),
    );
    props.topic.addSubscription(new subscriptions.SqsSubscription(this.queue, { rawMessageDelivery: true, filterPolicy }));
  }
}
