/**
 * The chat-events topic's publisher as the after path uses it: the callback settings' attempts
 * and per-attempt timeouts, and an event over SNS's 256 KiB through a claim check in the payloads
 * bucket (the topic carries a pointer). Built by the after-callback handler and by the journal's
 * forwarding thread, which publishes what the handler journaled, so both publish alike.
 */
import { createSnsPublishBatch } from '../aws/sns-publish-batch.ts';
import type { CallbackConfig } from '../config/callback-config.ts';
import { claimCheckStoreFromEnv } from './s3-claim-check-store.ts';
import { SnsChatEventPublisher } from './sns-chat-event-publisher.ts';

export function afterEventTopicPublisher(config: CallbackConfig): SnsChatEventPublisher {
  return new SnsChatEventPublisher(
    createSnsPublishBatch({ maxAttempts: config.publishMaxAttempts, attemptTimeoutMs: config.publishAttemptTimeoutMs }),
    config.chatEventsTopicArn,
    { claimChecks: claimCheckStoreFromEnv() },
  );
}
