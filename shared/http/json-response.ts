import type { APIGatewayProxyResult } from 'aws-lambda';

export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

/**
 * A response made once and answered to many requests (a handler's plain continue, its self-test),
 * frozen with its headers: a middleware that tried to change it for one request would fail loudly
 * instead of changing it for every later one.
 */
export function frozenJsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  const response = jsonResponse(statusCode, body);
  Object.freeze(response.headers);
  return Object.freeze(response);
}
