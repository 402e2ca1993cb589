/** Reads an operator API request body as JSON, or refuses it with 400. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { bodyText } from '../http/request-parts.ts';
import { ApiRequestError } from './api-errors.ts';

export function jsonBodyOf(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): unknown {
  try {
    return JSON.parse(bodyText(event));
  } catch {
    throw new ApiRequestError(400, 'the request body must be JSON');
  }
}
