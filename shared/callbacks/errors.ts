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
    super(`the callback body (${bodyLength} characters) is not JSON`);
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
  constructor(readonly budgetMs: number) {
    super(`the decision took longer than the ${budgetMs} ms budget, so it was abandoned to answer OpenIM in time`);
    this.name = 'BudgetExceededError';
  }
}
