/**
 * What a failed SNS call says about the notification, from the SDK's error (its `$metadata`,
 * name and code), so SNS mobile push is at most once like FCM and APNs (docs/push.md):
 *
 *   SNS answered 429 (Throttled) or 5xx (InternalError)       -> ProviderUnavailableError: not published, retried
 *   SNS answered EndpointDisabled                              -> the token is dead
 *   SNS answered another 4xx (InvalidParameter, NotFound, ...) -> ProviderRejectedError: the same request is refused again
 *   no answer, and the request never reached SNS (no
 *   connection, refused, or the socket closed while writing)   -> ProviderUnavailableError: not published, retried
 *   no answer after the request went out (timeout, reset)      -> DeliveryOutcomeUnknownError: SNS may have published it
 *
 * The client must make one attempt per call (maxAttempts 1): the SDK's own retry would resend a
 * Publish whose outcome is unknown.
 */
import { DeliveryOutcomeUnknownError, ProviderRejectedError, ProviderUnavailableError } from '../errors.ts';

/** Node's codes for a connection that never carried the request (EPIPE: the peer closed before it was read). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
/** @smithy/node-http-handler's message when its connectionTimeout fires before the socket connected. */
const NO_CONNECTION_MESSAGE = 'did not establish a connection';

interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export type SnsFailure =
  | { readonly kind: 'invalid-token' }
  | { readonly kind: 'error'; readonly error: ProviderUnavailableError | ProviderRejectedError | DeliveryOutcomeUnknownError };

export function snsFailureOf(provider: string, thrown: unknown): SnsFailure {
  const error = (thrown ?? {}) as SdkError;
  const status = error.$metadata?.httpStatusCode;
  const reason = `${error.name ?? 'Error'}: ${error.message ?? ''}`;
  const as = (failure: ProviderUnavailableError | ProviderRejectedError | DeliveryOutcomeUnknownError): SnsFailure => ({ kind: 'error', error: failure });
  if (status !== undefined) {
    if (error.name === 'EndpointDisabledException') return { kind: 'invalid-token' };
    if (status === 429 || error.name === 'ThrottledException') return as(new ProviderUnavailableError(provider, reason, { cause: thrown, overloaded: true }));
    if (status >= 500) return as(new ProviderUnavailableError(provider, reason, { cause: thrown, overloaded: status === 503 }));
    return as(new ProviderRejectedError(provider, reason));
  }
  if ((error.code !== undefined && NOT_SENT_CODES.has(error.code)) || error.message?.includes(NO_CONNECTION_MESSAGE)) {
    return as(new ProviderUnavailableError(provider, `${reason} before the request was sent`, { cause: thrown }));
  }
  return as(new DeliveryOutcomeUnknownError(provider, `${reason} with no answer`, { cause: thrown }));
}
