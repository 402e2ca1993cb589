/** Errors of publishing and reading chat events. */

/** SNS accepted the call but refused this event (an entry of `PublishBatch` reported as failed). */
export class ChatEventRejectedError extends Error {
  constructor(
    public readonly code: string,
    reason: string,
  ) {
    super(`SNS refused the chat event: ${code}${reason ? `: ${reason}` : ''}`);
    this.name = 'ChatEventRejectedError';
  }
}

/** The event exceeds the topic's message limit and no claim-check bucket is configured to carry it. */
export class ChatEventTooLargeError extends Error {
  constructor(bytes: number, limit: number) {
    super(`the chat event takes ${bytes} bytes, over SNS's ${limit}, and no claim-check bucket is configured (CHAT_EVENT_PAYLOADS_BUCKET)`);
    this.name = 'ChatEventTooLargeError';
  }
}

/** A queue message that is not a chat event: retrying cannot fix it, so it ends in the DLQ. */
export class UnreadableChatEventError extends Error {
  constructor(
    readonly messageId: string,
    reason: string,
  ) {
    super(`SQS message ${messageId} is not a chat event: ${reason}`);
    this.name = 'UnreadableChatEventError';
  }
}

/** A claim check whose object is gone (expired, or deleted by hand): the event cannot be recovered. */
export class ClaimCheckMissingError extends Error {
  constructor(key: string) {
    super(`the claim-checked event ${key} is not in the payloads bucket`);
    this.name = 'ClaimCheckMissingError';
  }
}

/** The event journal was closed (the server is stopping): the event must go another way. */
export class JournalClosedError extends Error {
  constructor(directory: string) {
    super(`the event journal in ${directory} is closed`);
    this.name = 'JournalClosedError';
  }
}
