/**
 * The audit queue's consumer: the batch SQS delivers becomes one BatchWriteItem (far fewer calls
 * than a write per record), then each record is reported on its own through Powertools'
 * `processPartialResponse`: a record that could not be built, or that DynamoDB still left
 * unprocessed after the bounded retries, is a batch item failure, so SQS redelivers only it
 * (and dead-letters it after maxReceiveCount). Redelivery is harmless: records are keyed by
 * natural keys. Nothing is deleted from the queue before its record is written, so a crash in
 * between loses nothing.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { chatEventOfRecord } from '../events/chat-event-of-record.ts';
import { logger } from '../observability/logger.ts';
import type { AuditStore } from '../store/audit-store.ts';
import { auditRecordOf, type AuditRecord } from './audit-record.ts';
import { UnwrittenAuditRecordError } from './errors.ts';

export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function auditWriterHandler(store: AuditStore): SqsBatchHandler {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event, context) => {
    const failures = await writeBatch(event.Records, store);
    const recordHandler = async (record: SQSRecord): Promise<void> => {
      const failure = failures.get(record.messageId);
      if (failure) throw failure;
    };
    return processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
  };
}

/** Builds and writes every record of the batch; returns the failure of each record that failed, by messageId. */
async function writeBatch(records: readonly SQSRecord[], store: AuditStore): Promise<Map<string, Error>> {
  const failures = new Map<string, Error>();
  const built: { messageId: string; record: AuditRecord }[] = [];
  for (const sqsRecord of records) {
    try {
      built.push({ messageId: sqsRecord.messageId, record: auditRecordOf(chatEventOfRecord(sqsRecord)) });
    } catch (error) {
      logger.error('audit event cannot be recorded; it will reach the DLQ', { messageId: sqsRecord.messageId, error: error as Error });
      failures.set(sqsRecord.messageId, error as Error);
    }
  }
  if (built.length === 0) return failures;
  try {
    const { unprocessed } = await store.putAll(built.map(({ record }) => record));
    const unwritten = new Set(unprocessed.map((record) => record.recordID));
    for (const { messageId, record } of built) {
      if (unwritten.has(record.recordID)) failures.set(messageId, new UnwrittenAuditRecordError(record.recordID));
    }
    if (unwritten.size > 0) logger.warn('audit records left unprocessed after every attempt; SQS will redeliver them', { count: unwritten.size });
  } catch (error) {
    logger.error('audit batch write failed; SQS will redeliver the batch', { error: error as Error });
    for (const { messageId } of built) failures.set(messageId, error as Error);
  }
  return failures;
}
