/**
 * `GET /api/openapi.json`: the operator API's OpenAPI 3.1 document, generated from the zod
 * schemas (shared/api/openapi-document.ts). Event: API Gateway REST proxy, behind the same
 * authentication as every `/api` route.
 */
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { apiErrors } from '#shared/api/api-errors.ts';
import { openApiDocument } from '#shared/api/openapi-document.ts';
import { jsonResponse } from '#shared/http/json-response.ts';

// Built once per container: the schemas do not change at run time.
const document = openApiDocument();

const routes = httpRouterHandler<APIGatewayProxyEvent, APIGatewayProxyResult>([
  { method: 'GET', path: '/api/openapi.json', handler: async () => jsonResponse(200, document) },
]);

export const handler = middy(routes, { timeoutEarlyInMillis: 0 })
  // Unknown methods and paths become 404/405 replies, anything else a generic 500.
  .use(apiErrors());
