/**
 * Operator API, push (shared/push/push-routes.ts): the outbox (`GET /api/push/outbox?userID=`)
 * and users' push preferences under `/api/push/preferences/{userID}`. Event: API Gateway REST
 * proxy, authenticated before this function.
 */
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { apiErrors } from '#shared/api/api-errors.ts';
import { requireRoleByMethod } from '#shared/api/require-role.ts';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { loadPushApiConfig } from '#shared/config/push-api-config.ts';
import { pushRoutes } from '#shared/push/push-routes.ts';
import { DynamoDbOutboxStore } from '#shared/store/dynamodb-outbox-store.ts';
import { DynamoDbPreferenceStore } from '#shared/store/dynamodb-preference-store.ts';

const config = loadPushApiConfig();
const dynamo = createDynamoDocumentClient();
const push = pushRoutes({
  outbox: new DynamoDbOutboxStore(dynamo, config.tables.outbox, config.outboxRetentionSeconds),
  preferences: new DynamoDbPreferenceStore(dynamo, config.tables.preferences),
});

const conversation = '/api/push/preferences/{userID}/conversations/{conversationID}';
const routes = httpRouterHandler<APIGatewayProxyEvent, APIGatewayProxyResult>([
  { method: 'GET', path: '/api/push/outbox', handler: push.getOutbox },
  { method: 'GET', path: '/api/push/preferences/{userID}', handler: push.getPreferences },
  { method: 'PUT', path: '/api/push/preferences/{userID}', handler: push.putPreferences },
  { method: 'PUT', path: conversation, handler: push.muteConversation },
  { method: 'DELETE', path: conversation, handler: push.unmuteConversation },
]);

export const handler = middy(routes, { timeoutEarlyInMillis: 0 })
  // Domain errors become 4xx with their reason, anything else a generic 500; unknown routes 404.
  .use(apiErrors())
  // Reads need the triage role, changes the admin role (the app backend's).
  .use(requireRoleByMethod());
