/** Builds the beforeOfflinePush decider from PUSH_MODE, with the preference store the enrich mode reads. */
import type { DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import type { PushCallbackConfig } from '../config/push-callback-config.ts';
import type { ChatEventPublisher } from '../events/chat-event-publisher.ts';
import { DynamoDbPreferenceStore } from '../store/dynamodb-preference-store.ts';
import { createOfflinePushDecider } from './offline-push-decider.ts';

export function offlinePushDeciderFor(config: PushCallbackConfig, dynamo: DynamoDocumentClient, publisher: ChatEventPublisher) {
  return createOfflinePushDecider({
    mode: config.mode,
    publisher,
    ...(config.preferencesTableName ? { preferences: new DynamoDbPreferenceStore(dynamo, config.preferencesTableName) } : {}),
  });
}
