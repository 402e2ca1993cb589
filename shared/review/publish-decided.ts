/** Publishes a moderation log entry as a `moderation.decided` chat event, for the audit trail. */
import { randomUUID } from 'node:crypto';
import { publishOrRecord } from '../callbacks/publish-after-event.ts';
import type { ChatEventPublisher } from '../events/chat-event-publisher.ts';
import { MODERATION_DECIDED_EVENT_TYPE, type ModerationLogEntry } from './moderation-decided-event.ts';

export async function publishDecided(publisher: ChatEventPublisher, entry: ModerationLogEntry): Promise<void> {
  await publishOrRecord(publisher, {
    eventId: randomUUID(),
    eventType: MODERATION_DECIDED_EVENT_TYPE,
    // The operationID of the first OpenIM call ties the event to OpenIM's logs.
    operationID: entry.openim[0]?.operationID ?? entry.entryId,
    receivedAt: entry.at,
    valid: true,
    payload: entry,
  });
}
