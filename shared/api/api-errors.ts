/**
 * Maps the operator API's domain errors to HTTP replies in one place: a caller's mistake gets its
 * status and the reason, anything else a generic 500 (logged with its stack, never shown).
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { InvalidPolicyError } from '../moderation/errors.ts';
import { jsonResponse } from '../http/json-response.ts';
import { logger } from '../observability/logger.ts';
import { InvalidCursorError, PolicyVersionConflictError } from '../store/errors.ts';

/** A request the API refuses, with the status and the reason to show the caller. */
export class ApiRequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export function replyForError(error: unknown): APIGatewayProxyResult {
  if (error instanceof ApiRequestError) return jsonResponse(error.statusCode, { error: error.message, details: error.details });
  if (error instanceof InvalidPolicyError) {
    return jsonResponse(400, { error: 'invalid policy', details: error.message, problems: error.problems });
  }
  if (error instanceof InvalidCursorError) return jsonResponse(400, { error: error.message });
  if (error instanceof PolicyVersionConflictError) {
    return jsonResponse(409, { error: error.message, currentVersion: error.currentVersion ?? null });
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return jsonResponse(status, { error: (error as Error).message });
  logger.error('operator API request failed', { error: error as Error });
  return jsonResponse(500, { error: 'internal error' });
}

export function apiErrors(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const apiErrorsOnError: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (request) => {
    request.response = replyForError(request.error);
  };
  return { onError: apiErrorsOnError };
}
