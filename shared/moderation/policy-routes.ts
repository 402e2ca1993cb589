/**
 * Operator API for the moderation policy:
 *   GET /api/moderation/policy  (triage and up) -> the version in force: {version, policy, updatedAt, updatedBy}
 *   PUT /api/moderation/policy  (admins only) -> saves a new version; body: the policy document. Its `version`,
 *       when given (0 included), is the version the change was based on: if another save came
 *       first the reply is 409 and nothing is written. Without it, the change applies on top of the
 *       newest version. A document that is not entirely valid gets a 400 listing every problem
 *       (problem+json `errors`: path, message, and list, index, term for a term's); one over MAX_POLICY_BYTES a 413. Nothing is written then.
 * The callbacks pick a new version up within POLICY_REFRESH_MS, without a restart.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ApiRequestError } from '../api/api-errors.ts';
import { jsonBodyOf } from '../api/json-body.ts';
import { requireRole } from '../api/moderator-access.ts';
import { bodyText } from '../http/request-parts.ts';
import { jsonResponse } from '../http/json-response.ts';
import type { PolicyStore } from '../store/policy-store.ts';
import { PolicyTooLargeError } from './errors.ts';
import { MAX_POLICY_BYTES } from './policy.ts';
import { validatePolicy } from './validate-policy.ts';

export function policyRoutes(store: PolicyStore) {
  return {
    async getPolicy(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      requireRole(event, 'triage');
      const stored = await store.latest();
      if (!stored) throw new ApiRequestError(404, 'no moderation policy has been saved yet; PUT one to /api/moderation/policy');
      return jsonResponse(200, stored);
    },

    async putPolicy(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      // Only admins change what every message is checked against (moderators decide items).
      const admin = requireRole(event, 'admin');
      // Measured before parsing, so an oversized body costs no parse and no check of its terms.
      const byteLength = Buffer.byteLength(bodyText(event), 'utf8');
      if (byteLength > MAX_POLICY_BYTES) throw new PolicyTooLargeError(byteLength, MAX_POLICY_BYTES);
      const { policy, basedOn } = await validatePolicy(jsonBodyOf(event));
      const expectedVersion = basedOn ?? (await store.latestVersion())?.version ?? 0;
      return jsonResponse(200, await store.save(policy, expectedVersion, admin.name));
    },
  };
}
