/**
 * A queue consumer that handles one chat event at a time, the shape every worker but the audit
 * writer shares: each record is read through ChatEventReader (which resolves claim checks), then
 * handled; Powertools' `processPartialResponse` reports each failed record on its own
 * (`batchItemFailures`, with ReportBatchItemFailures on the event source), so its batch-mates
 * are deleted and only it comes back, until the queue's redrive policy moves it to the DLQ.
 * Failures are logged with their reason and the record's IDs, never its body.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../observability/logger.ts';
import type { ChatEvent } from './chat-event.ts';
import type { ChatEventReader } from './chat-event-reader.ts';
import { UnreadableChatEventError } from './errors.ts';

export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface ChatEventConsumerOptions {
  /** Names the consumer in its log lines ("presence", "push", ...). */
  readonly name: string;
  readonly reader: ChatEventReader;
  /** Handles one event; throws when it is not done, so that SQS delivers it again. */
  readonly handle: (event: ChatEvent, record: SQSRecord) => Promise<void>;
}

export function chatEventConsumer({ name, reader, handle }: ChatEventConsumerOptions): SqsBatchHandler {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const event = await readLogged(name, reader, record);
    try {
      await handle(event, record);
    } catch (error) {
      logger.error(`${name} event failed; SQS will deliver it again, alone`, {
        messageId: record.messageId,
        operationID: event.operationID,
        eventType: event.eventType,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: error as Error,
      });
      throw error;
    }
  };
  // A processor per invocation: it keeps the batch's failures, and the local pollers run several
  // invocations of one handler at once (a shared one mixed their failures up and deleted failed records).
  // A batch in which every record failed is reported record by record too, not as an invocation error.
  return (event, context) =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false });
}

/** The record's event; a record that is none is logged with why, and fails alone toward the DLQ. */
export async function readLogged(name: string, reader: ChatEventReader, record: SQSRecord): Promise<ChatEvent> {
  try {
    return await reader.read(record);
  } catch (error) {
    const unreadable = error instanceof UnreadableChatEventError;
    logger.error(unreadable ? `${name} record is not a chat event; it will end in the DLQ` : `${name} record could not be read; SQS will deliver it again`, {
      messageId: record.messageId,
      receiveCount: record.attributes.ApproximateReceiveCount,
      error: error as Error,
    });
    throw error;
  }
}
