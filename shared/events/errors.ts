/** Errors of publishing chat events. */

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
