/**
 * When a failed record comes back. Lambda's SQS event source leaves a reported failure in flight
 * until the queue's visibility timeout ends, which must be 6x the function's timeout (180 s for the
 * push queue), so a notification whose provider failed for a moment came back three minutes late.
 * A consumer that knows a failure is worth retrying sooner makes the record visible again itself:
 * ChangeMessageVisibility with the record's receipt handle (the event source's grant on the queue
 * includes it), the first time after `firstSeconds`, then 3 times longer on each receive.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

/** SQS's longest visibility timeout: 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;
const GROWTH = 3;

export function redeliveryDelaySeconds(firstSeconds: number, receiveCount: number): number {
  return Math.min(MAX_VISIBILITY_SECONDS, firstSeconds * GROWTH ** Math.max(0, receiveCount - 1));
}

/** `arn:<partition>:sqs:<region>:<account>:<name>` as its queue URL. */
export function queueUrlOf(queueArn: string): string {
  const [, partition, service, region, account, name] = queueArn.split(':');
  if (service !== 'sqs' || !region || !account || !name) throw new Error(`not an SQS queue ARN: ${queueArn}`);
  return `https://sqs.${region}.${partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'}/${account}/${name}`;
}

let client: Promise<SQSClient> | undefined;
const sqsClient = () => (client ??= import('../aws/sqs-client.ts').then(({ createSqsClient }) => createSqsClient()));

/** Makes the record visible again `seconds` from now (its next receive), instead of when its visibility timeout ends. */
export async function redeliverAfter(record: SQSRecord, seconds: number): Promise<void> {
  const [sqs, { ChangeMessageVisibilityCommand }] = await Promise.all([sqsClient(), import('@aws-sdk/client-sqs')]);
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrlOf(record.eventSourceARN), ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
}
