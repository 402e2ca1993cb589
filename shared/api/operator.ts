/**
 * Who is calling the operator API, for the moderation log. API Gateway puts the authenticated
 * principal in the request context: Cognito claims, an IAM user ARN, or (local mode) the
 * principal the local bearer check sets.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';

export function operatorOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): string {
  const authorizer = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const claims = authorizer?.claims as Record<string, unknown> | undefined;
  const candidates = [claims?.email, claims?.['cognito:username'], authorizer?.principalId, event.requestContext?.identity?.userArn];
  return candidates.find((value): value is string => typeof value === 'string' && value.length > 0) ?? 'unknown';
}
