/**
 * Maps the review workflow's errors to RFC 9457 problems (shared/api/problem.ts), then defers to
 * the operator API's shared mapping for everything else (shared/api/api-errors.ts). Extensions the
 * console acts on: `state` and `claimedBy` on a claim conflict, `entryId` (the log entry with
 * OpenIM's answers) on a 502.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { replyForError } from '../api/api-errors.ts';
import { problemResponse } from '../api/problem.ts';
import {
  AppealNotAllowedError,
  ClaimConflictError,
  DecisionNotApplicableError,
  NotClaimedByCallerError,
  OpenImActionFailedError,
  PenaltyNotFoundError,
  ReviewItemNotFoundError,
} from './errors.ts';

export function reviewReplyForError(error: unknown): APIGatewayProxyResult {
  if (error instanceof ReviewItemNotFoundError || error instanceof PenaltyNotFoundError) return problemResponse(404, error.message);
  if (error instanceof ClaimConflictError) return problemResponse(409, error.message, { state: error.state, claimedBy: error.claimedBy ?? null });
  if (error instanceof NotClaimedByCallerError || error instanceof AppealNotAllowedError) return problemResponse(409, error.message);
  if (error instanceof DecisionNotApplicableError) return problemResponse(422, error.message);
  // OpenIM refused or was unreachable: a gateway failure, with the log entry that records OpenIM's answer.
  if (error instanceof OpenImActionFailedError) return problemResponse(502, error.message, { entryId: error.entryId });
  return replyForError(error);
}

export function reviewApiErrors(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const reviewApiErrorsOnError: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (request) => {
    request.response = reviewReplyForError(request.error);
  };
  return { onError: reviewApiErrorsOnError };
}
