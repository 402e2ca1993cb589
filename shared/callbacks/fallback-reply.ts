/**
 * The reply a before-callback gets when it cannot be decided (bad body, failure, budget overrun).
 * OpenIM ignores its own `failedContinue`, so BEFORE_FAILURE_MODE is the only fail-open/fail-closed
 * switch. Failing open must still leave the operation as it was, so it echoes the request
 * (identityReply); for the commands where OpenIM overwrites fields whatever the reply says
 * (set-group-info), a continue without the request would blank the group's ID and name, so without
 * a readable request those are stopped with a retryable error instead.
 */
import type { FailureMode } from '../config/callback-config.ts';
import { HOOK_ERROR_CODES } from '../openim/error-codes.ts';
import { needsRequestToContinue } from '../openim/reply-semantics.ts';
import { continueReply, identityReply, stopReply, type CommonCallbackResp } from '../openim/replies.ts';

export const FAIL_CLOSED_MESSAGE = 'This action could not be checked right now. Please try again.';

export function fallbackReply(
  mode: FailureMode,
  command: string,
  request: Readonly<Record<string, unknown>> | undefined,
): CommonCallbackResp {
  if (mode === 'closed') return stopReply(HOOK_ERROR_CODES.callbackUnavailable, FAIL_CLOSED_MESSAGE);
  if (request) return identityReply(command, request);
  return needsRequestToContinue(command)
    ? stopReply(HOOK_ERROR_CODES.callbackUnavailable, FAIL_CLOSED_MESSAGE)
    : continueReply();
}
