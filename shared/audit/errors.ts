/** Errors of the audit trail, named for why they happen. */

/** Base class, so a caller can catch every audit failure with one `instanceof`. */
export class AuditError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuditError';
  }
}

/**
 * A chat event on the audit queue that no record can be built from (a payload that fails its
 * schema, no message ID). Retrying cannot fix it, so it ends in the DLQ, with an alarm.
 */
export class UnauditableEventError extends AuditError {
  constructor(
    readonly eventId: string,
    reason: string,
  ) {
    super(`chat event ${eventId} cannot be audited: ${reason}`);
    this.name = 'UnauditableEventError';
  }
}

/**
 * The record was not written: DynamoDB left it unprocessed after every attempt (throttling), or
 * refused it (`cause`). SQS delivers its event again, alone; a refused one ends in the DLQ.
 */
export class UnwrittenAuditRecordError extends AuditError {
  constructor(
    readonly recordID: string,
    cause?: Error,
  ) {
    super(
      cause
        ? `audit record ${recordID} was refused: ${cause.message}`
        : `audit record ${recordID} was still unprocessed after the last BatchWriteItem attempt; SQS will redeliver it`,
      cause ? { cause } : undefined,
    );
    this.name = 'UnwrittenAuditRecordError';
  }
}
