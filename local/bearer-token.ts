/**
 * Local stand-in for the operator API's authorizer (Cognito in AWS): a bearer token names the
 * caller. The start-up API_TOKEN is the first admin (`local-operator`, compared in constant time);
 * every other token must belong to a named account (`npm run moderators`), looked up by its hash.
 */
import type { Caller } from '#shared/api/moderator-access.ts';
import { secretMatches } from '#shared/middleware/callback-secret.ts';
import type { ModeratorAccountStore } from '#shared/store/moderator-account-store.ts';

/** The start-up token's principal, as an authorizer would name it in AWS. */
export const LOCAL_OPERATOR = 'local-operator';

export type BearerAuthenticator = (authorization: string | undefined) => Promise<Caller | undefined>;

export function bearerTokenOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return match?.[1]?.trim() || undefined;
}

export function createBearerAuthenticator(apiToken: string, accounts?: Pick<ModeratorAccountStore, 'byToken'>): BearerAuthenticator {
  const startUpToken = Buffer.from(apiToken, 'utf8');
  return async (authorization) => {
    const token = bearerTokenOf(authorization);
    if (token === undefined) return undefined;
    if (secretMatches(startUpToken, token)) return { name: LOCAL_OPERATOR, role: 'admin' };
    const account = await accounts?.byToken(token);
    return account ? { name: account.name, role: account.role } : undefined;
  };
}
