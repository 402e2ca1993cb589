/** What the OpenIM admin client throws, named for why. */

/** OpenIM could not be reached (connection refused, reset, timeout) on every attempt. */
export class OpenImUnreachableError extends Error {
  constructor(
    readonly path: string,
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(`OpenIM ${path} could not be reached after ${attempts} attempt(s)`, options);
    this.name = 'OpenImUnreachableError';
  }
}

/**
 * A call that changes state got no answer after its request may have reached OpenIM (a timeout,
 * a connection reset): it may or may not have taken effect, so it is not blindly sent again.
 */
export class OpenImOutcomeUnknownError extends Error {
  constructor(
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(`OpenIM ${path} gave no answer; whether it took effect is unknown`, options);
    this.name = 'OpenImOutcomeUnknownError';
  }
}

/** OpenIM answered with a non-zero errCode (its envelope `{errCode, errMsg, errDlt}`). */
export class OpenImApiError extends Error {
  constructor(
    readonly path: string,
    readonly errCode: number,
    readonly errMsg: string,
    readonly errDlt: string,
    readonly operationID: string,
  ) {
    super(`OpenIM ${path} answered errCode ${errCode}: ${errMsg}`);
    this.name = 'OpenImApiError';
  }
}

/** OpenIM answered something that is not its JSON envelope (a proxy's error page, a wrong URL). */
export class OpenImProtocolError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
  ) {
    super(`OpenIM ${path} answered HTTP ${status} without its JSON envelope; check OPENIM_API_URL / OPENIM_CHAT_API_URL`);
    this.name = 'OpenImProtocolError';
  }
}

/** Forbidding users needs OpenIM's chat service, which this deployment did not configure. */
export class ChatServiceNotConfiguredError extends Error {
  constructor() {
    super('forbidding a user needs OpenIM chat (set OPENIM_CHAT_API_URL, OPENIM_CHAT_ADMIN_ACCOUNT, OPENIM_CHAT_ADMIN_PASSWORD)');
    this.name = 'ChatServiceNotConfiguredError';
  }
}
