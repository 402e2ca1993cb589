/**
 * Operator API, audit trail (docs/operator-api.md): `GET /api/audit?conversationID=...|sendID=...|groupID=...`.
 * Event: API Gateway REST proxy, authenticated before this function.
 */
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { apiErrors } from '#shared/api/api-errors.ts';
import { requireRoleByMethod } from '#shared/api/require-role.ts';
import { auditRoutes } from '#shared/audit/audit-routes.ts';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { loadAuditConfig } from '#shared/config/audit-config.ts';
import { DynamoDbAuditStore } from '#shared/store/dynamodb-audit-store.ts';

const config = loadAuditConfig();
const audit = auditRoutes(new DynamoDbAuditStore(createDynamoDocumentClient(), config.auditTableName, { retentionDays: config.retentionDays }));

const routes = httpRouterHandler<APIGatewayProxyEvent, APIGatewayProxyResult>([{ method: 'GET', path: '/api/audit', handler: audit.listAudit }]);

export const handler = middy(routes, { timeoutEarlyInMillis: 0 })
  // Domain errors become 4xx with their reason, anything else a generic 500; unknown routes 404.
  .use(apiErrors())
  // Every route only reads: the triage role or above.
  .use(requireRoleByMethod({ readOnly: true }));
