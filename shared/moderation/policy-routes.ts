/**
 * Operator API for the moderation policy:
 *   GET /api/moderation/policy  -> the version in force: {version, policy, updatedAt, updatedBy}
 *   PUT /api/moderation/policy  -> saves a new version; body: the policy document. Its `version`,
 *       when given, is the version the change was based on: if another save came first the reply
 *       is 409 and nothing is written. Without it, the change applies on top of the newest version.
 * The callbacks pick a new version up within POLICY_REFRESH_MS, without a restart.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ApiRequestError } from '../api/api-errors.ts';
import { jsonBodyOf } from '../api/json-body.ts';
import { operatorOf } from '../api/operator.ts';
import { jsonResponse } from '../http/json-response.ts';
import type { PolicyStore } from '../store/policy-store.ts';
import { parseModerationPolicy } from './policy.ts';

export function policyRoutes(store: PolicyStore) {
  return {
    async getPolicy(): Promise<APIGatewayProxyResult> {
      const stored = await store.latest();
      if (!stored) throw new ApiRequestError(404, 'no moderation policy has been saved yet');
      return jsonResponse(200, stored);
    },

    async putPolicy(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      const policy = parseModerationPolicy(jsonBodyOf(event));
      const basedOn = policy.version > 0 ? policy.version : ((await store.latest())?.version ?? 0);
      return jsonResponse(200, await store.save(policy, basedOn, operatorOf(event)));
    },
  };
}
