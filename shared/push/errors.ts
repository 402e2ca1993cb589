/** Outcomes of the push capability that callers must handle, named for why they happen. */
export class PushError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PushError';
  }
}

/** The user already has the maximum number of devices; remove one first. */
export class DeviceLimitError extends PushError {
  constructor(
    readonly userID: string,
    readonly limit: number,
  ) {
    super(`user ${userID} already has ${limit} devices, the maximum; remove one before adding another`);
    this.name = 'DeviceLimitError';
  }
}

/** A provider could not take the notification now (network, 5xx, 429); trying again later may work. */
export class ProviderUnavailableError extends PushError {
  constructor(
    readonly provider: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${provider} is unavailable: ${reason}`, options);
    this.name = 'ProviderUnavailableError';
  }
}

/** A provider refused the request itself (bad payload, bad credentials); retrying sends the same refusal. */
export class ProviderRejectedError extends PushError {
  constructor(
    readonly provider: string,
    reason: string,
  ) {
    super(`${provider} rejected the notification: ${reason}`);
    this.name = 'ProviderRejectedError';
  }
}

/** A device names a provider this deployment has no credentials for. */
export class ProviderNotConfiguredError extends PushError {
  constructor(readonly provider: string) {
    super(`provider ${provider} is not configured in this deployment (see README "Push")`);
    this.name = 'ProviderNotConfiguredError';
  }
}

/** Some devices of a push job could not be reached; the job is retried for them only. */
export class PushIncompleteError extends PushError {
  constructor(
    readonly messageID: string,
    readonly failedDevices: number,
  ) {
    super(`${failedDevices} device(s) of message ${messageID} could not be reached yet; the job will be retried for them`);
    this.name = 'PushIncompleteError';
  }
}

/** A push.job event whose payload is not a push job: no retry can deliver it, so it ends in the DLQ. */
export class UnreadablePushJobError extends PushError {
  constructor(eventId: string, reason: string) {
    super(`push.job event ${eventId} carries no push job: ${reason}`);
    this.name = 'UnreadablePushJobError';
  }
}
