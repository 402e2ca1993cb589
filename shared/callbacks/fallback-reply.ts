/**
 * The reply a before-callback gets when it cannot be decided (bad body, failure, budget overrun).
 * OpenIM ignores its own `failedContinue`, so this setting is the only fail-open/fail-closed switch.
 */
import type { FailureMode } from '../config/callback-config.ts';
import { HOOK_ERROR_CODES } from '../openim/error-codes.ts';
import { continueReply, stopReply, type CommonCallbackResp } from '../openim/replies.ts';

export const FAIL_CLOSED_MESSAGE = 'This action could not be checked right now. Please try again.';

export function fallbackReply(mode: FailureMode): CommonCallbackResp {
  return mode === 'open' ? continueReply() : stopReply(HOOK_ERROR_CODES.callbackUnavailable, FAIL_CLOSED_MESSAGE);
}
