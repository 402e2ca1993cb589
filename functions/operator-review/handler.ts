/**
 * Operator API, review queue (`/api/review/...`, shared/review/review-routes.ts): list, claim,
 * decide, counts, moderation log, lifting penalties. Event: API Gateway REST proxy, authenticated
 * before this function (Cognito or IAM in AWS, the bearer token locally); the routes also require
 * the Cognito `moderators` group. Conversation context comes from the audit trail when bound.
 */
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createSnsPublishBatch } from '#shared/aws/sns-publish-batch.ts';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { loadReviewConfig } from '#shared/config/review-config.ts';
import { loadOpenImAdminAccess } from '#shared/openim/admin/admin-config.ts';
import { createReview } from '#shared/review/create-review.ts';
import { reviewApiErrors } from '#shared/review/review-api-errors.ts';
import { REVIEW_ROUTE_TABLE, reviewRoutes } from '#shared/review/review-routes.ts';
import { DynamoDbAuditStore } from '#shared/store/dynamodb-audit-store.ts';

const config = loadReviewConfig();
const dynamo = createDynamoDocumentClient();
const history = config.auditTableName ? new DynamoDbAuditStore(dynamo, config.auditTableName) : undefined;
const review = createReview(config, loadOpenImAdminAccess(), { dynamo, sns: createSnsPublishBatch(), ...(history ? { history } : {}) });
const handlers = reviewRoutes(review);

const routes = httpRouterHandler<APIGatewayProxyEvent, APIGatewayProxyResult>(
  REVIEW_ROUTE_TABLE.map(({ method, path, route }) => ({ method, path, handler: handlers[route]! })),
);

export const handler = middy(routes, { timeoutEarlyInMillis: 0 })
  // Review errors become 404/409/422/502 with their reason, then the shared mapping; unknown routes 404.
  .use(reviewApiErrors());
