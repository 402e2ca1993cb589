/**
 * Answers 404 to any callback whose `{secret}` path segment is wrong, before anything is parsed,
 * logged or published, so a wrong URL leaves no trace. Compared in constant time for candidates
 * of the secret's length (only the length can leak, which a 16+ character secret can afford);
 * the secret itself is never logged.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { timingSafeEqual } from 'node:crypto';
import { jsonResponse } from '../http/json-response.ts';
import { undecidedReply } from '../openim/replies.ts';

export interface CallbackSecretOptions {
  readonly secret: string;
}

export function secretMatches(expected: Buffer, candidate: string): boolean {
  const given = Buffer.from(candidate, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function callbackSecret(
  options: CallbackSecretOptions,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  if (!options.secret) throw new Error('callbackSecret: a non-empty secret is required', { cause: { package: 'callback-secret' } });
  const expected = Buffer.from(options.secret, 'utf8');
  const callbackSecretBefore: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (request) => {
    if (!secretMatches(expected, request.event.pathParameters?.secret ?? '')) {
      return jsonResponse(404, undecidedReply('not found'));
    }
    return undefined;
  };
  return { before: callbackSecretBefore };
}
