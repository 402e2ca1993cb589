/**
 * Operator API for presence:
 *   GET  /api/presence/{userID}  -> {userID, online, platforms: [...], lastSeen, isAppBackground}
 *   POST /api/presence:batch     -> body {"userIDs": [1..100 IDs]} -> {users: [...same shape, in order]}
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { ApiRequestError } from '../api/api-errors.ts';
import { fieldErrorsOf } from '../api/problem.ts';
import { jsonBodyOf } from '../api/json-body.ts';
import { jsonResponse } from '../http/json-response.ts';
import type { PresenceStore } from '../store/presence-store.ts';

export const MAX_BATCH_USERS = 100;

export const PresenceBatchRequest = z.object({ userIDs: z.array(z.string().min(1)).min(1).max(MAX_BATCH_USERS) });

export function presenceRoutes(store: PresenceStore) {
  return {
    async getPresence(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      const userID = userIDOf(event.pathParameters?.userID);
      const [presence] = await store.presenceOf([userID]);
      return jsonResponse(200, presence);
    },

    async batchPresence(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      const parsed = PresenceBatchRequest.safeParse(jsonBodyOf(event));
      if (!parsed.success) {
        throw new ApiRequestError(400, `the body must be {"userIDs": [1 to ${MAX_BATCH_USERS} user IDs]}`, { errors: fieldErrorsOf(parsed.error) });
      }
      return jsonResponse(200, { users: await store.presenceOf(parsed.data.userIDs) });
    },
  };
}

function userIDOf(segment: string | undefined): string {
  let userID: string;
  try {
    userID = decodeURIComponent(segment ?? '');
  } catch {
    throw new ApiRequestError(400, 'the user ID in the path is not valid percent-encoding');
  }
  if (userID === '') throw new ApiRequestError(400, 'a user ID is required: /api/presence/{userID}');
  return userID;
}
