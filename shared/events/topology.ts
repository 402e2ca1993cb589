/**
 * Names and shape of the messaging resources, shared by the CDK app and the local provisioning
 * so that both build the same topology: one `chat-events` topic, and per consumer one SQS queue
 * (with its DLQ) subscribed through a filter policy on the `eventType` message attribute.
 * Adding a consumer's queue is one entry in QUEUE_SUBSCRIPTIONS.
 */
import { SECONDS_PER_DAY } from '../time/durations.ts';
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
  /** Must exceed the consumer's processing time (for Lambda: at least 6x its timeout plus its batching window, per AWS). */
  readonly visibilityTimeoutSeconds: number;
}

export const QUEUE_SUBSCRIPTIONS: readonly QueueSubscription[] = [
  // Presence: online, offline and kick-off, applied by the presence worker with conditional writes.
  {
    name: 'presence',
    eventTypes: ['callbackAfterUserOnlineCommand', 'callbackAfterUserOfflineCommand', 'callbackAfterUserKickOffCommand'],
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 180,
  },
  // Audit: after-send (single, group), save-DB, revoke (OpenIM's "BeforeAfter" command) and every moderation event.
  {
    name: 'audit',
    eventTypes: [
      'callbackAfterSendSingleMsgCommand',
      'callbackAfterSendGroupMsgCommand',
      'callbackAfterMsgSaveDBCommand',
      'callbackBeforeAfterMsgCommand',
      { prefix: 'moderation.' },
    ],
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 181,
  },
  // Push: the jobs of the beforeOfflinePush take-over; a job that left devices unreached comes back for them.
  { name: 'push', eventTypes: ['push.job'], maxReceiveCount: 5, visibilityTimeoutSeconds: 180 },
  // Review: flagged messages become review items; blocked ones are judged for repeat-offender penalties.
  { name: 'review', eventTypes: ['moderation.flagged', 'moderation.blocked'], maxReceiveCount: 5, visibilityTimeoutSeconds: 181 },
];

/** Suffix of every dead-letter queue's name. */
export const DLQ_SUFFIX = '-dlq';

/** DLQs keep messages for the SQS maximum, 14 days, to leave time for a redrive. */
export const DLQ_RETENTION_SECONDS = 14 * SECONDS_PER_DAY;

/** The bucket of claim-checked events (claim-check.ts) in the local stand-in; in AWS, CDK names it. */
export const CHAT_EVENT_PAYLOADS_LOCAL_BUCKET = 'chat-event-payloads';

/**
 * Days a claim-checked event is kept (the bucket's lifecycle rule): past the DLQ's 14 days, so
 * that an event dead-lettered on its last day can still be redriven and read, with a week to spare.
 */
export const CLAIM_CHECK_RETENTION_DAYS = 21;

/** The SNS filter policy (scope: message attributes) of a subscription, in SNS's JSON syntax. */
export function filterPolicyOf(subscription: QueueSubscription): Record<string, readonly (string | { prefix: string })[]> {
  return {
    [CHAT_EVENT_ATTRIBUTES.eventType]: subscription.eventTypes.map((match) =>
      typeof match === 'string' ? match : { prefix: match.prefix },
    ),
  };
}
