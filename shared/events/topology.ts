/**
 * Names and shape of the messaging resources, shared by the CDK app and the local provisioning
 * so that both build the same topology: one `chat-events` topic, and per consumer one SQS queue
 * (with its DLQ) subscribed through a filter policy on the `eventType` message attribute.
 * Adding a consumer's queue is one entry in QUEUE_SUBSCRIPTIONS.
 */
import { CHAT_EVENT_ATTRIBUTES } from './chat-event.ts';

export const CHAT_EVENTS_TOPIC_NAME = 'chat-events';

/** One allowed `eventType`: an exact value, or every value with this prefix. */
export type EventTypeMatch = string | { readonly prefix: string };

export interface QueueSubscription {
  /** Queue name (the DLQ is `<name>-dlq`); locally the full name, in AWS prefixed per stage. */
  readonly name: string;
  /** Event types delivered to this queue; an event matching any entry is delivered. */
  readonly eventTypes: readonly EventTypeMatch[];
  /** Receives before a message moves to the DLQ. */
  readonly maxReceiveCount: number;
  /** Must exceed the consumer's processing time (for Lambda: at least 6x its timeout, per AWS). */
  readonly visibilityTimeoutSeconds: number;
}

export const QUEUE_SUBSCRIPTIONS: readonly QueueSubscription[] = [];

/** Suffix of every dead-letter queue's name. */
export const DLQ_SUFFIX = '-dlq';

/** DLQs keep messages for the SQS maximum, 14 days, to leave time for a redrive. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/** The SNS filter policy (scope: message attributes) of a subscription, in SNS's JSON syntax. */
export function filterPolicyOf(subscription: QueueSubscription): Record<string, readonly (string | { prefix: string })[]> {
  return {
    [CHAT_EVENT_ATTRIBUTES.eventType]: subscription.eventTypes.map((match) =>
      typeof match === 'string' ? match : { prefix: match.prefix },
    ),
  };
}
