/**
 * Errors of the moderation engine. The operator API maps `InvalidPolicyError` to a 400 and
 * `PolicyTooLargeError` to a 413 in one place; nothing in the engine turns them into replies itself.
 */
import { describeProblem, type PolicyProblem } from './policy-problem.ts';

/** Base class, so a caller can catch every moderation failure with one `instanceof`. */
export class ModerationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModerationError';
  }
}

/** Problems spelled out in the message; `problems` has them all (a paste can hold 100,000 bad terms). */
const PROBLEMS_IN_MESSAGE = 20;

/** A policy document was refused; `problems` lists every reason (each bad term with its list and index). */
export class InvalidPolicyError extends ModerationError {
  constructor(public readonly problems: readonly PolicyProblem[]) {
    const shown = problems.slice(0, PROBLEMS_IN_MESSAGE).map(describeProblem);
    const more = problems.length - shown.length;
    super(`Invalid moderation policy:\n${shown.join('\n')}${more > 0 ? `\n… and ${more} more` : ''}`);
    this.name = 'InvalidPolicyError';
  }
}

/** The policy document is larger than a stored policy may be (MAX_POLICY_BYTES). */
export class PolicyTooLargeError extends ModerationError {
  /** Read by the operator API's error mapping: the caller sent too much. */
  readonly statusCode = 413;

  constructor(
    readonly byteLength: number,
    readonly maxBytes: number,
  ) {
    super(`the policy is ${byteLength} bytes of JSON; at most ${maxBytes} are stored`);
    this.name = 'PolicyTooLargeError';
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

/**
 * A text is longer than the policy's regular-expression terms can scan within their work limit
 * (`CompiledPolicy.regexTextLimit`): nothing was matched, and the caller's over-text-limit rule decides.
 */
export class RegexWorkLimitError extends ModerationError {
  constructor(
    readonly textLength: number,
    readonly limit: number,
  ) {
    super(`the text is ${textLength} units long; this policy's regular-expression terms scan at most ${limit}`);
    this.name = 'RegexWorkLimitError';
  }
}
