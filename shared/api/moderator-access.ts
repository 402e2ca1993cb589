/**
 * Who may do what on the operator API. Three roles, each holding the rights of the one below it:
 *   triage    - read the queue, the log and the stats; annotate (notes) and escalate items
 *   moderator - also claim, release and decide items, and lift penalties
 *   admin     - also change the moderation policy and manage accounts
 * Where the caller's role comes from:
 *   Cognito (AWS): the `cognito:groups` claim. API Gateway's authorizer checks the token only and
 *     flattens a list to a string ("[admins moderators]"); the highest role among the groups wins,
 *     a user in none of them is refused (403).
 *   Local mode: the bearer check (local/bearer-token.ts) puts the account's role beside its name,
 *     as an authorizer's context would.
 *   IAM (SigV4 with the stack's invoke policy): operators by construction, so admins.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { ApiRequestError } from './api-errors.ts';
import { operatorOf } from './operator.ts';

export const ROLES = ['triage', 'moderator', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Cognito group -> role; the groups the operator API stack creates. */
export const COGNITO_GROUP_ROLES = { admins: 'admin', moderators: 'moderator', triage: 'triage' } as const satisfies Record<string, Role>;

/** What each role may do, for the console to show and disable actions (the routes check roles). */
export const ROLE_RIGHTS: Readonly<Record<Role, string>> = {
  triage: 'view the queue and the log, add notes, escalate items',
  moderator: 'also claim, release and decide items, lift penalties',
  admin: 'also change the moderation policy and manage accounts',
};

export interface Caller {
  /** The person, as every claim, decision, note and log entry records them. */
  readonly name: string;
  readonly role: Role;
}

export function roleAtLeast(role: Role, least: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(least);
}

function highestRoleOfGroups(groups: unknown): Role | undefined {
  const list = Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  const roles = list.flatMap((group) => (Object.hasOwn(COGNITO_GROUP_ROLES, group) ? [COGNITO_GROUP_ROLES[group as keyof typeof COGNITO_GROUP_ROLES]] : []));
  return roles.sort((a, b) => ROLES.indexOf(b) - ROLES.indexOf(a))[0];
}

/** The caller and their role, or undefined when the request carries no principal this API knows. */
export function callerOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller | undefined {
  const authorizer = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const claims = authorizer?.claims as Record<string, unknown> | undefined;
  const name = operatorOf(event);
  if (claims) {
    const role = highestRoleOfGroups(claims['cognito:groups']);
    return role ? { name, role } : undefined;
  }
  const localRole = Role.safeParse(authorizer?.role);
  if (localRole.success && typeof authorizer?.principalId === 'string') return { name, role: localRole.data };
  if (event.requestContext?.identity?.userArn) return { name, role: 'admin' };
  return undefined;
}

/** @throws ApiRequestError 403 when the caller's role is below `least` (or they have none). */
export function requireRole(event: Pick<APIGatewayProxyEvent, 'requestContext'>, least: Role): Caller {
  const caller = callerOf(event);
  if (!caller) {
    throw new ApiRequestError(403, `no role: sign in as a member of one of the groups ${Object.keys(COGNITO_GROUP_ROLES).join(', ')}`, { requiredRole: least });
  }
  if (!roleAtLeast(caller.role, least)) {
    throw new ApiRequestError(403, `${caller.name} is ${caller.role}; this needs the ${least} role (${ROLE_RIGHTS[least]})`, { requiredRole: least, role: caller.role });
  }
  return caller;
}
