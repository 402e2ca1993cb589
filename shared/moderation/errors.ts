/**
 * Errors of the moderation engine. The operator API maps `InvalidPolicyError` and `InvalidTermError`
 * to a 400 in one place; nothing in the engine turns them into replies itself.
 */

/** Base class, so a caller can catch every moderation failure with one `instanceof`. */
export class ModerationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModerationError';
  }
}

/** A policy document failed its schema; `message` is `z.prettifyError` output, one line per issue. */
export class InvalidPolicyError extends ModerationError {
  constructor(
    message: string,
    public readonly issues: readonly unknown[],
  ) {
    super(`Invalid moderation policy:\n${message}`);
    this.name = 'InvalidPolicyError';
  }
}

/** One term cannot be compiled (an invalid regular expression, or nothing left after normalisation). */
export class InvalidTermError extends ModerationError {
  constructor(
    public readonly term: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`Invalid moderation term ${JSON.stringify(term)}: ${reason}`, options);
    this.name = 'InvalidTermError';
  }
}
