/**
 * The after-path fan-out: the `chat-events` topic with its claim-check bucket for events over
 * SNS's message limit, per consumer a queue with its DLQ and filter policy (QUEUE_SUBSCRIPTIONS),
 * and per worker a Lambda consuming its queue (WORKERS).
 * Alarms on the DLQs live in the observability stack, beside every other alarm and its topic.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { NagSuppressions } from 'cdk-nag';
import { CHAT_EVENTS_TOPIC_NAME, CLAIM_CHECK_RETENTION_DAYS, DLQ_RETENTION_SECONDS, QUEUE_SUBSCRIPTIONS, type QueueSubscription } from '#shared/events/topology.ts';
import type { TableKey } from '#shared/store/table-definitions.ts';
import { CallbackFunction } from '../constructs/callback-function.ts';
import type { DefinedTable } from '../constructs/defined-table.ts';
import { SubscribedQueue } from '../constructs/subscribed-queue.ts';
import { applyDeploymentSettings, deploymentPlacement, type OpenimAdminEndpoint } from '../config/deployment-settings.ts';
import { WORKERS, type WorkerSpec } from '../workers.ts';
import { SECONDS_PER_DAY } from '#shared/time/durations.ts';

/** Environment variable through which functions learn the chat-events topic (callback-config.ts). */
export const CHAT_EVENTS_TOPIC_ENV = 'CHAT_EVENTS_TOPIC_ARN';

export interface MessagingStackProps extends StackProps {
  /** Prefix of physical names, `openim-hooks-<stage>`; also the Powertools service name. */
  readonly prefix: string;
  readonly tables: Readonly<Partial<Record<TableKey, DefinedTable>>>;
  readonly logRetention: logs.RetentionDays;
  /** @default QUEUE_SUBSCRIPTIONS */
  readonly subscriptions?: readonly QueueSubscription[];
  /** @default WORKERS */
  readonly workers?: readonly WorkerSpec[];
  /** OpenIM deployed by this app: `openimAdmin` workers run in its VPC. @default undefined */
  readonly openimAdmin?: OpenimAdminEndpoint | undefined;
}

export class MessagingStack extends Stack {
  public readonly chatEventsTopic: sns.Topic;
  /** Events too big for the topic, claim-checked by the publishers (shared/events/claim-check.ts). */
  public readonly chatEventPayloads: s3.Bucket;
  public readonly queues: readonly SubscribedQueue[];
  public readonly workers: readonly CallbackFunction[];

  constructor(scope: Construct, id: string, props: MessagingStackProps) {
    super(scope, id, props);
    const subscriptions = props.subscriptions ?? QUEUE_SUBSCRIPTIONS;
    const workers = props.workers ?? WORKERS;
    checkTopology(subscriptions, workers, props.tables);

    // 1. The topic. The AWS-managed SNS key encrypts at rest and lets SNS deliver to SQS
    //    without a key policy of our own.
    this.chatEventsTopic = new sns.Topic(this, 'ChatEventsTopic', {
      topicName: `${props.prefix}-${CHAT_EVENTS_TOPIC_NAME}`,
      masterKey: kms.Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });

    // 2. The claim-check bucket: private, encrypted (SSE-S3), TLS only, and emptied by its
    //    lifecycle rule after the DLQs' retention has passed, so that a redrive still finds the
    //    event; consumers never delete. Retained with the stack: it may hold events still queued.
    this.chatEventPayloads = new s3.Bucket(this, 'ChatEventPayloads', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'ExpireClaimCheckedEvents', expiration: Duration.days(CLAIM_CHECK_RETENTION_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    NagSuppressions.addResourceSuppressions(this.chatEventPayloads, [
      {
        id: 'AwsSolutions-S1',
        reason: 'Holds short-lived copies of chat events that only this service reads and writes; their processing is logged and audited by the consumers, and server access logs would add a second store of message metadata.',
      },
    ]);

    // 3. Per subscriber: queue, DLQ with redrive, filter policy.
    this.queues = subscriptions.map(
      (subscription) =>
        new SubscribedQueue(this, `${pascal(subscription.name)}Queue`, {
          subscription,
          topic: this.chatEventsTopic,
          prefix: props.prefix,
        }),
    );

    // 4. Per worker: its Lambda on its queue, bound to its tables and able to read claim checks.
    this.workers = workers.map((worker) => {
      const queue = this.queues.find((q) => q.subscription.name === worker.queue);
      if (!queue) throw new Error(`worker ${worker.entryName}: no queue ${worker.queue}`);
      const placement = deploymentPlacement(worker.settings ?? [], props.openimAdmin);
      const fn = new CallbackFunction(this, pascal(worker.entryName), {
        entryName: worker.entryName,
        functionName: `${props.prefix}-${worker.entryName}`,
        serviceName: props.prefix,
        timeout: Duration.seconds(worker.timeoutSeconds ?? DEFAULT_WORKER_TIMEOUT_SECONDS),
        memorySize: worker.memorySize ?? 256,
        ...(worker.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: worker.reservedConcurrency } : {}),
        logRetention: props.logRetention,
        environment: worker.environment ?? {},
        vpc: placement.vpc,
      });
      fn.consumeQueue({
        queue: queue.queue,
        batchSize: worker.batchSize ?? 10,
        ...(worker.batchingWindowSeconds ? { maxBatchingWindow: Duration.seconds(worker.batchingWindowSeconds) } : {}),
        ...(worker.maxConcurrency !== undefined ? { maxConcurrency: worker.maxConcurrency } : {}),
      });
      for (const binding of worker.tables ?? []) {
        const table = props.tables[binding.table];
        if (table) fn.bindTable({ table, access: binding.access });
      }
      fn.bindClaimChecks({ bucket: this.chatEventPayloads, access: 'get' });
      if (worker.publishesChatEvents) fn.bindTopic({ topic: this.chatEventsTopic, envVar: CHAT_EVENTS_TOPIC_ENV });
      applyDeploymentSettings(fn, worker.settings ?? [], placement.defaults);
      return fn;
    });
  }
}

const DEFAULT_WORKER_TIMEOUT_SECONDS = 30;

/**
 * Lambda's guidance: visibility timeout >= 6x the function timeout plus the batching window, so
 * that retries do not overlap.
 */
const VISIBILITY_TO_TIMEOUT_RATIO = 6;

/** Lambda accepts a batch size above this only with a batching window. */
const MAX_BATCH_WITHOUT_WINDOW = 10;

/** Every inconsistency between queues, workers and tables, thrown at synth as one error. */
function checkTopology(
  subscriptions: readonly QueueSubscription[],
  workers: readonly WorkerSpec[],
  tables: Readonly<Partial<Record<TableKey, DefinedTable>>>,
): void {
  const problems: string[] = [];
  if (CLAIM_CHECK_RETENTION_DAYS * SECONDS_PER_DAY <= DLQ_RETENTION_SECONDS) {
    problems.push(`claim-checked events expire after ${CLAIM_CHECK_RETENTION_DAYS} days, before a DLQ lets go of their pointers`);
  }
  const names = subscriptions.map((s) => s.name);
  for (const name of new Set(names)) {
    if (names.filter((n) => n === name).length > 1) problems.push(`queue ${name} is declared more than once`);
  }
  for (const s of subscriptions) {
    if (s.eventTypes.length === 0) problems.push(`queue ${s.name} subscribes to no event type`);
    if (s.maxReceiveCount < 1) problems.push(`queue ${s.name}: maxReceiveCount must be at least 1`);
  }
  for (const worker of workers) {
    const queue = subscriptions.find((s) => s.name === worker.queue);
    if (!queue) {
      problems.push(`worker ${worker.entryName} consumes queue ${worker.queue}, which QUEUE_SUBSCRIPTIONS does not declare`);
    } else {
      const timeout = worker.timeoutSeconds ?? DEFAULT_WORKER_TIMEOUT_SECONDS;
      const window = worker.batchingWindowSeconds ?? 0;
      if (queue.visibilityTimeoutSeconds < timeout * VISIBILITY_TO_TIMEOUT_RATIO + window) {
        problems.push(
          `queue ${queue.name}: visibility timeout ${queue.visibilityTimeoutSeconds}s is below ${VISIBILITY_TO_TIMEOUT_RATIO}x the timeout of worker ${worker.entryName} (${timeout}s) plus its batching window (${window}s)`,
        );
      }
      if ((worker.batchSize ?? 10) > MAX_BATCH_WITHOUT_WINDOW && window < 1) {
        problems.push(`worker ${worker.entryName}: a batch size above ${MAX_BATCH_WITHOUT_WINDOW} needs a batching window of at least 1s`);
      }
    }
    if (worker.maxConcurrency !== undefined) {
      const { maxConcurrency, reservedConcurrency } = worker;
      if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
        problems.push(`worker ${worker.entryName}: maxConcurrency ${maxConcurrency} is not an integer from 2 to 1000 (Lambda's range)`);
      }
      if (reservedConcurrency !== undefined && maxConcurrency > reservedConcurrency) {
        problems.push(`worker ${worker.entryName}: maxConcurrency ${maxConcurrency} is above its reserved concurrency ${reservedConcurrency}; the excess receives would be throttled and count toward maxReceiveCount`);
      }
    }
    for (const binding of worker.tables ?? []) {
      if (!tables[binding.table]) problems.push(`worker ${worker.entryName} binds table ${binding.table}, which the data stack does not hold`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid messaging topology:\n  - ${problems.join('\n  - ')}`);
}

/** `audit-writer` -> `AuditWriter`, for construct IDs. */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
}
