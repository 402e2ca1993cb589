/** Builds the send-path moderation from its configuration, with the DynamoDB stores behind it. */
import type { DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import { readPolicyFile, type ModerationConfig } from '../config/moderation-config.ts';
import type { ChatEventPublisher } from '../events/chat-event-publisher.ts';
import { DynamoDbPolicyStore } from '../store/dynamodb-policy-store.ts';
import { ActivePolicy } from './active-policy.ts';
import { MessageModeration } from './message-moderation.ts';

export function createMessageModeration(
  config: ModerationConfig,
  dynamo: DynamoDocumentClient,
  publisher: ChatEventPublisher,
): MessageModeration {
  return new MessageModeration({
    policy: new ActivePolicy({
      store: new DynamoDbPolicyStore(dynamo, config.policyTableName),
      seed: readPolicyFile(config.policyFile),
      refreshMs: config.policyRefreshMs,
      // A message of a busy instance then never waits for the store (npm start's stand-ins run below
      // the event loop's priority); a Lambda instance reads it at its first message after a pause.
      readAhead: true,
    }),
    publisher,
    textLimit: config.textLimit,
  });
}
