/** Local stand-in for the operator API's authorizer (Cognito in AWS): a static bearer token, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function bearerTokenMatches(authorization: string | undefined, apiToken: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1].trim()), digest(apiToken));
}
