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
    }),
    publisher,
    textLimit: config.textLimit,
  });
}
