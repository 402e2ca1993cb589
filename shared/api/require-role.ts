/**
 * Roles for the operator route groups outside the review queue and the policy (presence, audit,
 * devices, push): reading needs the triage role; changing needs the admin role, which the app
 * backend holds (the API token locally, IAM in AWS), since moderators have no business registering
 * devices or editing a user's push preferences. The OpenAPI document shows the same as
 * `x-required-role` (operator-operations.ts).
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { requireRole, type Role } from './moderator-access.ts';

/** `readOnly`: every method only reads (presence:batch answers a POST). */
export function roleForMethod(method: string, options: { readOnly?: boolean } = {}): Role {
  return options.readOnly || method.toUpperCase() === 'GET' ? 'triage' : 'admin';
}

export function requireRoleByMethod(options: { readOnly?: boolean } = {}): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const requireRoleByMethodBefore: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (request) => {
    requireRole(request.event, roleForMethod(request.event.httpMethod, options));
  };
  return { before: requireRoleByMethodBefore };
}
