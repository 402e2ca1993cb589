/**
 * The safety net of every callback handler: whatever failed inside the chain, OpenIM gets a JSON
 * reply (an empty or non-JSON body would block the user's operation), chosen by the
 * fail-open/fail-closed setting and built to leave the operation as it was (fallback-reply.ts),
 * plus one structured log line with the operationID and a metric.
 * Use it first in `.use()` so its onError runs last. The request body is never logged.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { FailureMode } from '../config/callback-config.ts';
import { requestObjectOrUndefined } from '../callbacks/callback-body.ts';
import { fallbackReply } from '../callbacks/fallback-reply.ts';
import { BudgetExceededError, CallbackError } from '../callbacks/errors.ts';
import { jsonResponse } from '../http/json-response.ts';
import { bodyText, callbackCommandOf, operationIdOf } from '../http/request-parts.ts';
import { logger } from '../observability/logger.ts';
import { countEvent, METRIC_NAMES } from '../observability/metrics.ts';

export interface OpenimReplyOptions {
  /** What to answer when the callback cannot be decided. @default 'open' */
  readonly failureMode?: FailureMode;
}

const defaults = { failureMode: 'open' } as const satisfies Required<OpenimReplyOptions>;

export function openimReply(options: OpenimReplyOptions = {}): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const { failureMode } = { ...defaults, ...options };

  const openimReplyOnError: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (request) => {
    const error = request.error;
    const command = callbackCommandOf(request.event);
    const reason = error instanceof CallbackError ? error.name : 'UnexpectedError';
    const reply = fallbackReply(failureMode, command, requestObjectOrUndefined(bodyText(request.event)));
    countEvent(METRIC_NAMES.beforeFallbackReply, { reason, failureMode });
    if (error instanceof BudgetExceededError) countEvent(METRIC_NAMES.beforeBudgetOverrun, { stage: error.stage, outcome: 'abandoned' });
    logger.error('callback answered with the fallback reply', {
      operationID: operationIdOf(request.event),
      command,
      failureMode,
      reason,
      stopped: reply.nextCode === 1,
      ...(error instanceof BudgetExceededError ? { stage: error.stage, stageMs: error.stageMs } : {}),
      // Our own errors say why without quoting the body; an unexpected one keeps its stack.
      error: error instanceof CallbackError ? error.message : (error as Error),
    });
    request.response = jsonResponse(200, reply);
  };
  return { onError: openimReplyOnError };
}
