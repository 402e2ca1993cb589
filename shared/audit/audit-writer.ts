/**
 * The audit queue's consumer: the batch SQS delivers becomes one BatchWriteItem per 25 records
 * (far fewer calls than a write per record), then each record is reported on its own through
 * Powertools' `processPartialResponse`: a record that is no chat event, that no audit record can
 * be built from, that DynamoDB refused, or that it still left unprocessed after the bounded
 * retries, is a batch item failure, so SQS delivers only it again (and dead-letters it after
 * maxReceiveCount); its batch-mates are written and deleted. Redelivery is harmless: records are
 * keyed by natural keys. Nothing is deleted from the queue before its record is written, so a
 * crash in between loses nothing.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSRecord } from 'aws-lambda';
import { readLogged, type SqsBatchHandler } from '../events/chat-event-consumer.ts';
import type { ChatEventReader } from '../events/chat-event-reader.ts';
import { logger } from '../observability/logger.ts';
import type { AuditStore } from '../store/audit-store.ts';
import { auditRecordOf, type AuditRecord } from './audit-record.ts';
import { UnwrittenAuditRecordError } from './errors.ts';

export function auditWriterHandler(store: AuditStore, reader: ChatEventReader): SqsBatchHandler {
  return async (event, context) => {
    const failures = await writeBatch(event.Records, store, reader);
    const recordHandler = async (record: SQSRecord): Promise<void> => {
      const failure = failures.get(record.messageId);
      if (failure) throw failure;
    };
    // A processor per invocation: local pollers run several at once, and a shared one mixes their failures.
    return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false });
  };
}

/** Builds and writes every record of the batch; returns the failure of each record that failed, by messageId. */
async function writeBatch(records: readonly SQSRecord[], store: AuditStore, reader: ChatEventReader): Promise<Map<string, Error>> {
  const failures = new Map<string, Error>();
  const built: { messageId: string; record: AuditRecord }[] = [];
  await Promise.all(
    records.map(async (sqsRecord) => {
      const event = await readLogged('audit', reader, sqsRecord).catch((error: unknown) => void failures.set(sqsRecord.messageId, error as Error));
      if (!event) return;
      try {
        built.push({ messageId: sqsRecord.messageId, record: auditRecordOf(event) });
      } catch (error) {
        logger.error('audit event cannot be recorded; it will reach the DLQ', { messageId: sqsRecord.messageId, operationID: event.operationID, error: error as Error });
        failures.set(sqsRecord.messageId, error as Error);
      }
    }),
  );
  if (built.length === 0) return failures;
  try {
    const { unwritten } = await store.putAll(built.map(({ record }) => record));
    const unwrittenByID = new Map(unwritten.map(({ record, error }) => [record.recordID, new UnwrittenAuditRecordError(record.recordID, error)]));
    for (const { messageId, record } of built) {
      const failure = unwrittenByID.get(record.recordID);
      if (!failure) continue;
      failures.set(messageId, failure);
      logger.warn('audit record not written; SQS will deliver its event again', { messageId, recordID: record.recordID, operationID: record.operationID, error: failure });
    }
  } catch (error) {
    logger.error('audit batch write failed; SQS will redeliver the batch', { error: error as Error });
    for (const { messageId } of built) failures.set(messageId, error as Error);
  }
  return failures;
}
