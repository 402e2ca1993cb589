/** Local stand-in for the operator API's authorizer (Cognito in AWS): a static bearer token, compared in constant time. */
import { secretMatches } from '#shared/middleware/callback-secret.ts';

export function bearerTokenMatches(authorization: string | undefined, apiToken: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return match?.[1] !== undefined && secretMatches(Buffer.from(apiToken, 'utf8'), match[1].trim());
}
