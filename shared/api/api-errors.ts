/**
 * Maps the operator API's domain errors to HTTP replies in one place, all as RFC 9457 problems
 * (problem.ts): a caller's mistake gets its status and the reason, anything else a generic 500
 * (logged with its stack, never shown).
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import { InvalidPolicyError } from '../moderation/errors.ts';
import { logger } from '../observability/logger.ts';
import { InvalidCursorError, PolicyVersionConflictError } from '../store/errors.ts';
import { fieldErrorsOf, problemResponse, type ProblemExtensions } from './problem.ts';

/** A request the API refuses, with the status, the reason to show the caller and any extension members. */
export class ApiRequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly extensions?: ProblemExtensions,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** A 400 listing every field zod refused; `what` names the part of the request ("audit query"). */
export function invalidRequest(what: string, error: z.core.$ZodError): ApiRequestError {
  return new ApiRequestError(400, `invalid ${what}`, { errors: fieldErrorsOf(error) });
}

export function replyForError(error: unknown): APIGatewayProxyResult {
  if (error instanceof ApiRequestError) return problemResponse(error.statusCode, error.message, error.extensions);
  if (error instanceof InvalidPolicyError) {
    const errors = error.problems.map(({ reason, ...where }) => ({ ...where, message: reason }));
    return problemResponse(400, `invalid policy: ${errors.length} problem(s), each listed in errors`, { errors });
  }
  if (error instanceof InvalidCursorError) return problemResponse(400, error.message);
  if (error instanceof PolicyVersionConflictError) return problemResponse(409, error.message, { currentVersion: error.currentVersion ?? null });
  const status = (error as { statusCode?: number }).statusCode;
  // http-errors from middy (404/405 from the router, 415, 413) and domain errors that carry their status.
  if (typeof status === 'number' && status >= 400 && status < 500) return problemResponse(status, (error as Error).message);
  logger.error('operator API request failed', { error: error as Error });
  return problemResponse(500, 'internal error; the service log has the details');
}

export function apiErrors(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const apiErrorsOnError: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (request) => {
    request.response = replyForError(request.error);
  };
  return { onError: apiErrorsOnError };
}
