/** Why a callback could not be handled normally; the reply middleware turns each into the fallback reply. */
export class CallbackError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CallbackError';
  }
}

/** Says only how long the body was: JSON.parse's own message quotes the body, which may be a user's message. */
export class MalformedBodyError extends CallbackError {
  constructor(readonly bodyLength: number) {
    super(`the callback body (${bodyLength} characters) is not a JSON object`);
    this.name = 'MalformedBodyError';
  }
}

export class SchemaMismatchError extends CallbackError {
  constructor(
    readonly command: string,
    readonly problems: string,
  ) {
    super(`the ${command} body does not match OpenIM's contract: ${problems}`);
    this.name = 'SchemaMismatchError';
  }
}

export class BudgetExceededError extends CallbackError {
  constructor(
    readonly budgetMs: number,
    /** The stage the decision was in when the budget ran out. */
    readonly stage: string = 'decide',
    /** Milliseconds spent per stage. */
    readonly stageMs: Readonly<Record<string, number>> = {},
  ) {
    super(`the decision overran the ${budgetMs} ms budget in its ${stage} stage, so it was abandoned to answer OpenIM in time`);
    this.name = 'BudgetExceededError';
  }
}
