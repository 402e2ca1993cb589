/**
 * Operator API, push device registry (shared/push/device-routes.ts): `PUT|DELETE
 * /api/devices/{userID}/{deviceID}`, `GET /api/devices/{userID}`. Event: API Gateway REST proxy,
 * authenticated before this function.
 */
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { apiErrors } from '#shared/api/api-errors.ts';
import { requireRoleByMethod } from '#shared/api/require-role.ts';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { loadDeviceApiConfig } from '#shared/config/push-api-config.ts';
import { deviceRoutes } from '#shared/push/device-routes.ts';
import { DynamoDbDeviceStore } from '#shared/store/dynamodb-device-store.ts';

const config = loadDeviceApiConfig();
const devices = deviceRoutes(
  new DynamoDbDeviceStore(createDynamoDocumentClient(), config.devicesTableName, { maxDevicesPerUser: config.maxDevicesPerUser }),
);

const routes = httpRouterHandler<APIGatewayProxyEvent, APIGatewayProxyResult>([
  { method: 'PUT', path: '/api/devices/{userID}/{deviceID}', handler: devices.putDevice },
  { method: 'DELETE', path: '/api/devices/{userID}/{deviceID}', handler: devices.deleteDevice },
  { method: 'GET', path: '/api/devices/{userID}', handler: devices.listDevices },
]);

export const handler = middy(routes, { timeoutEarlyInMillis: 0 })
  // Domain errors become 4xx with their reason, anything else a generic 500; unknown routes 404.
  .use(apiErrors())
  // Reads need the triage role, changes the admin role (the app backend's).
  .use(requireRoleByMethod());
