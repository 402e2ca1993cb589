/**
 * Only moderators may act on the review queue. With Cognito, API Gateway's authorizer checks the
 * token only, so the handler checks the `cognito:groups` claim (a string: "moderators" or
 * "[moderators admins]" as API Gateway flattens lists). IAM callers (the invoke policy) and the
 * local bearer-token principal are operators by construction.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ApiRequestError } from './api-errors.ts';
import { operatorOf } from './operator.ts';

export const MODERATORS_GROUP = 'moderators';

/** @throws ApiRequestError 403 when Cognito authenticated a user outside the moderators group. */
export function requireModerator(event: Pick<APIGatewayProxyEvent, 'requestContext'>): string {
  const authorizer = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const claims = authorizer?.claims as Record<string, unknown> | undefined;
  if (claims) {
    const groups = claims['cognito:groups'];
    const list = Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
    if (!list.includes(MODERATORS_GROUP)) throw new ApiRequestError(403, `only members of the ${MODERATORS_GROUP} group may moderate`);
  }
  return operatorOf(event);
}
