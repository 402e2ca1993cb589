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

/**
 * A provider surely did not take the notification (connection refused, the request not fully
 * written, a 429/5xx answer); sending it again cannot notify the device twice. `retryAfterMs` is
 * the provider's own `Retry-After`; `overloaded` marks a 429/503, which should slow every sender.
 */
export class ProviderUnavailableError extends PushError {
  readonly retryAfterMs: number | undefined;
  readonly overloaded: boolean;

  constructor(
    readonly provider: string,
    reason: string,
    options?: ErrorOptions & { readonly retryAfterMs?: number | undefined; readonly overloaded?: boolean },
  ) {
    super(`${provider} is unavailable: ${reason}`, options);
    this.name = 'ProviderUnavailableError';
    this.retryAfterMs = options?.retryAfterMs;
    this.overloaded = options?.overloaded ?? false;
  }
}

/**
 * The request was written but no answer came (a timeout, a reset mid-request): the provider may
 * have taken it. Sending again could notify the device twice, so it is not retried (docs/push.md).
 */
export class DeliveryOutcomeUnknownError extends PushError {
  constructor(
    readonly provider: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${provider} may or may not have taken the notification: ${reason}`, options);
    this.name = 'DeliveryOutcomeUnknownError';
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
    super(`provider ${provider} is not configured in this deployment (see docs/push.md)`);
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

/**
 * Other runs of the same job kept writing a delivery window between this run's read and write (an
 * SQS duplicate running at the same time): the job stops and SQS brings it back once they are done.
 */
export class DeliveryWindowContendedError extends PushError {
  constructor(windowID: string, attempts: number) {
    super(`delivery window ${windowID} changed under each of ${attempts} writes; the job will be retried`);
    this.name = 'DeliveryWindowContendedError';
  }
}
