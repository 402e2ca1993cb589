/**
 * Maps the review workflow's errors to HTTP replies, then defers to the operator API's shared
 * mapping for everything else (shared/api/api-errors.ts).
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { replyForError } from '../api/api-errors.ts';
import { jsonResponse } from '../http/json-response.ts';
import {
  ClaimConflictError,
  DecisionNotApplicableError,
  NotClaimedByCallerError,
  OpenImActionFailedError,
  PenaltyNotFoundError,
  ReviewItemNotFoundError,
} from './errors.ts';

export function reviewReplyForError(error: unknown): APIGatewayProxyResult {
  if (error instanceof ReviewItemNotFoundError || error instanceof PenaltyNotFoundError) return jsonResponse(404, { error: error.message });
  if (error instanceof ClaimConflictError) return jsonResponse(409, { error: error.message, details: { state: error.state, claimedBy: error.claimedBy ?? null } });
  if (error instanceof NotClaimedByCallerError) return jsonResponse(409, { error: error.message });
  if (error instanceof DecisionNotApplicableError) return jsonResponse(422, { error: error.message });
  // OpenIM refused or was unreachable: a gateway failure, with the log entry that records OpenIM's answer.
  if (error instanceof OpenImActionFailedError) return jsonResponse(502, { error: error.message, details: { entryId: error.entryId } });
  return replyForError(error);
}

export function reviewApiErrors(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const reviewApiErrorsOnError: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (request) => {
    request.response = reviewReplyForError(request.error);
  };
  return { onError: reviewApiErrorsOnError };
}
