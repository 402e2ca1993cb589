/**
 * Answers 404 to any callback whose `{secret}` path segment is wrong, before anything is parsed,
 * logged or published, so a wrong URL leaves no trace. Compared in constant time; the secret
 * itself is never logged.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createHash, timingSafeEqual } from 'node:crypto';
import { jsonResponse } from '../http/json-response.ts';

export interface CallbackSecretOptions {
  readonly secret: string;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function secretMatches(expectedDigest: Buffer, candidate: string): boolean {
  return timingSafeEqual(expectedDigest, digest(candidate));
}

export function callbackSecret(
  options: CallbackSecretOptions,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  if (!options.secret) throw new Error('callbackSecret: a non-empty secret is required', { cause: { package: 'callback-secret' } });
  const expected = digest(options.secret);
  const callbackSecretBefore: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (request) => {
    if (!secretMatches(expected, request.event.pathParameters?.secret ?? '')) {
      return jsonResponse(404, { error: 'not found' });
    }
    return undefined;
  };
  return { before: callbackSecretBefore };
}
