/**
 * Operator API, presence (docs/operator-api.md): `GET /api/presence/{userID}` and
 * `POST /api/presence:batch`. Event: API Gateway REST proxy, authenticated before this function.
 */
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { apiErrors } from '#shared/api/api-errors.ts';
import { requireRoleByMethod } from '#shared/api/require-role.ts';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { loadPresenceConfig } from '#shared/config/presence-config.ts';
import { presenceRoutes } from '#shared/presence/presence-routes.ts';
import { DynamoDbPresenceStore } from '#shared/store/dynamodb-presence-store.ts';

const config = loadPresenceConfig();
const presence = presenceRoutes(
  new DynamoDbPresenceStore(createDynamoDocumentClient(), config.presenceTableName, { expiryMinutes: config.expiryMinutes }),
);

const routes = httpRouterHandler<APIGatewayProxyEvent, APIGatewayProxyResult>([
  { method: 'GET', path: '/api/presence/{userID}', handler: presence.getPresence },
  { method: 'POST', path: '/api/presence:batch', handler: presence.batchPresence },
]);

export const handler = middy(routes, { timeoutEarlyInMillis: 0 })
  // Domain errors become 4xx with their reason, anything else a generic 500; unknown routes 404.
  .use(apiErrors())
  // Every route only reads: the triage role or above.
  .use(requireRoleByMethod({ readOnly: true }));
