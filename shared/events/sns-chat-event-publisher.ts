/**
 * Publishes chat events to the SNS `chat-events` topic (fauxqs locally). Publishes made together
 * share `PublishBatch` calls (shared/batching/coalescing-batcher.ts): the push take-over's jobs
 * for one message, and, in the local server, which answers many callbacks at once, the events of
 * a busy moment.
 * Whole-call failures are retried by the SNS client (shared/aws/sns-publish-batch.ts); an entry
 * SNS refuses through a fault of its own (not the sender's) is sent again, up to `entryAttempts`.
 * An event over SNS's message limit goes to the claim-check store first and the topic carries a
 * pointer to it (claim-check.ts).
 */
import type { PublishBatchEntry, SnsPublishBatch } from '../aws/sns-publish-batch.ts';
import { CoalescingBatcher } from '../batching/coalescing-batcher.ts';
import { CHAT_EVENT_ATTRIBUTES, type ChatEvent } from './chat-event.ts';
import type { ChatEventPublisher } from './chat-event-publisher.ts';
import { claimCheckKeyOf, type ClaimCheckMessage } from './claim-check.ts';
import type { ClaimCheckStore } from './claim-check-store.ts';
import { ChatEventRejectedError, ChatEventTooLargeError } from './errors.ts';

/** SNS's limit for one message: its body and every attribute's name, type and value, in bytes. */
export const SNS_MESSAGE_LIMIT_BYTES = 262_144;

/** SNS's limits for one PublishBatch: entries, and bytes of all messages and their attributes. */
export const PUBLISH_BATCH_LIMITS = { entries: 10, bytes: SNS_MESSAGE_LIMIT_BYTES } as const;

/**
 * Calls on their way at once. OpenIM sends after-callbacks from 2 workers, and each waits for our
 * answer: with fewer calls in flight than that, one worker's event would wait for the other's
 * call, halving the rate the after path can take (measured: 0 dropped at 1,000/s became 7%).
 */
const PUBLISH_CALLS_IN_FLIGHT = 4;

export interface SnsChatEventPublisherOptions {
  /** Sends of an entry SNS refused through its own fault, first included. @default 3 */
  readonly entryAttempts?: number;
  /** How long a PublishBatch call that is not full waits for more events (CoalescingBatcher). @default 0 */
  readonly lingerMs?: number;
  /** Where events over SNS's message limit go; without it they are refused (ChatEventTooLargeError). @default undefined */
  readonly claimChecks?: ClaimCheckStore | undefined;
}

type Entry = Omit<PublishBatchEntry, 'Id'>;

export class SnsChatEventPublisher implements ChatEventPublisher {
  private readonly batcher: CoalescingBatcher<Entry>;
  private readonly entryAttempts: number;
  private readonly claimChecks: ClaimCheckStore | undefined;

  constructor(
    private readonly sns: SnsPublishBatch,
    private readonly topicArn: string,
    options: SnsChatEventPublisherOptions = {},
  ) {
    this.entryAttempts = options.entryAttempts ?? 3;
    this.claimChecks = options.claimChecks;
    this.batcher = new CoalescingBatcher<Entry>({
      maxItems: PUBLISH_BATCH_LIMITS.entries,
      maxBytes: PUBLISH_BATCH_LIMITS.bytes,
      maxBatchesInFlight: PUBLISH_CALLS_IN_FLIGHT,
      lingerMs: options.lingerMs ?? 0,
      sizeOf: sizeOfEntry,
      sendBatch: (entries) => this.publishBatch(entries),
    });
  }

  /** Resolves once SNS has taken the event (or its claim check); rejects with why it did not. */
  async publish(event: ChatEvent): Promise<void> {
    const entry = entryOf(JSON.stringify(event), event);
    const bytes = sizeOfEntry(entry);
    if (bytes <= SNS_MESSAGE_LIMIT_BYTES) return this.batcher.submit(entry);
    if (!this.claimChecks) throw new ChatEventTooLargeError(bytes, SNS_MESSAGE_LIMIT_BYTES);
    const key = claimCheckKeyOf(event.eventId);
    await this.claimChecks.put(key, entry.Message);
    const pointer: ClaimCheckMessage = {
      claimCheck: { key, bytes: Buffer.byteLength(entry.Message) },
      eventId: event.eventId,
      eventType: event.eventType,
      operationID: event.operationID,
    };
    return this.batcher.submit(entryOf(JSON.stringify(pointer), event));
  }

  private async publishBatch(entries: readonly Entry[]): Promise<(Error | undefined)[]> {
    const outcomes: (Error | undefined)[] = entries.map(() => undefined);
    let pending = entries.map((entry, index) => ({ entry, index }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const response = await this.sns.publishBatch(
        this.topicArn,
        pending.map(({ entry }, position) => ({ ...entry, Id: String(position) })),
      );
      const failures = new Map(response.failed.map((failure) => [failure.Id, failure]));
      pending = pending.filter(({ index }, position) => {
        const failure = failures.get(String(position));
        if (!failure) return false;
        if (!failure.SenderFault && attempt < this.entryAttempts) return true;
        outcomes[index] = new ChatEventRejectedError(failure.Code, failure.Message);
        return false;
      });
    }
    return outcomes;
  }
}

/** The entry carrying `message`, with the event's attributes that subscription filter policies route on. */
function entryOf(message: string, event: ChatEvent): Entry {
  return {
    Message: message,
    MessageAttributes: {
      [CHAT_EVENT_ATTRIBUTES.eventType]: { DataType: 'String', StringValue: event.eventType },
      [CHAT_EVENT_ATTRIBUTES.valid]: { DataType: 'String', StringValue: String(event.valid) },
    },
  };
}

/** An entry's size as SNS counts it: the message, and each attribute's name, type and value. */
export function sizeOfEntry(entry: Entry): number {
  let bytes = Buffer.byteLength(entry.Message);
  for (const [name, { DataType, StringValue }] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(DataType) + Buffer.byteLength(StringValue);
  }
  return bytes;
}
