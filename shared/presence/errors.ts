/** Errors of the presence capability, named for why they happen. */

/** Base class, so a caller can catch every presence failure with one `instanceof`. */
export class PresenceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PresenceError';
  }
}

/**
 * A chat event on the presence queue that cannot be applied (not a presence command, a payload
 * that fails its schema, no user or no event time). Retrying cannot fix it, so it ends in the DLQ.
 */
export class UnreadablePresenceEventError extends PresenceError {
  constructor(
    readonly eventId: string,
    reason: string,
  ) {
    super(`presence event ${eventId} cannot be applied: ${reason}`);
    this.name = 'UnreadablePresenceEventError';
  }
}
