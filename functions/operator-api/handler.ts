/**
 * The operator API under `/api` (docs/operator-api.md). Event: API Gateway REST proxy.
 * Authentication happens before this function: a Cognito `moderators` or IAM authorizer in AWS,
 * the bearer token check of the local server in local mode.
 */
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { apiErrors } from '#shared/api/api-errors.ts';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { loadOperatorApiConfig } from '#shared/config/operator-api-config.ts';
import { policyRoutes } from '#shared/moderation/policy-routes.ts';
import { DynamoDbPolicyStore } from '#shared/store/dynamodb-policy-store.ts';

const config = loadOperatorApiConfig();
const policy = policyRoutes(new DynamoDbPolicyStore(createDynamoDocumentClient(), config.policyTableName));

const routes = httpRouterHandler<APIGatewayProxyEvent, APIGatewayProxyResult>([
  { method: 'GET', path: '/api/moderation/policy', handler: policy.getPolicy },
  { method: 'PUT', path: '/api/moderation/policy', handler: policy.putPolicy },
]);

export const handler = middy(routes, { timeoutEarlyInMillis: 0 })
  // Domain errors become 4xx with their reason, anything else a generic 500; unknown routes 404.
  .use(apiErrors());
