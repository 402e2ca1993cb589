/**
 * errCodes this service returns when it stops an operation. OpenIM passes them to the client
 * as they are; they sit above 10000 so that they never clash with OpenIM's own codes
 * (1001–1701, 80000, 90002–90007). Documented in docs/callbacks.md; keep them stable.
 */
export const HOOK_ERROR_CODES = {
  /** Fail-closed: the request could not be checked (bad body, internal error, budget overrun). */
  callbackUnavailable: 10001,
  /** Moderation stopped the message. */
  messageBlocked: 10101,
  /** The offline push was taken over by this service; OpenIM skips its own push. */
  pushTakenOver: 10201,
  /** PUSH_MODE=enrich: every recipient muted the conversation or is in do-not-disturb hours; OpenIM skips the push. */
  pushSuppressed: 10202,
} as const;

export type HookErrorCode = (typeof HOOK_ERROR_CODES)[keyof typeof HOOK_ERROR_CODES];
