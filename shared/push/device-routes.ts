/**
 * Device registry API (operators, or the app's backend on behalf of its users):
 *   PUT    /api/devices/{userID}/{deviceID}  body {"platform": "ios"|"android"|"web",
 *          "provider": "fcm"|"apns"|"sns", "token": "..."}  -> 200 the device (registers or replaces)
 *   DELETE /api/devices/{userID}/{deviceID}  -> 200 {"removed": true}, 404 when not registered
 *   GET    /api/devices/{userID}             -> 200 {"userID", "devices": [{deviceID, platform, provider, token, updatedAt}]}
 * A user has at most PUSH_MAX_DEVICES_PER_USER devices: one more is refused with 409.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ApiRequestError } from '../api/api-errors.ts';
import { jsonBodyOf } from '../api/json-body.ts';
import { jsonResponse } from '../http/json-response.ts';
import type { DeviceStore } from '../store/device-store.ts';
import { DeviceRegistration } from './device.ts';
import { DeviceLimitError } from './errors.ts';
import { bodyAs, pathIdOf } from './path-params.ts';

export function deviceRoutes(store: DeviceStore, now: () => Date = () => new Date()) {
  return {
    async putDevice(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      const userID = pathIdOf(event, 'userID');
      const deviceID = pathIdOf(event, 'deviceID');
      const registration = bodyAs(DeviceRegistration, jsonBodyOf(event), 'device registration');
      try {
        return jsonResponse(200, { userID, ...(await store.register(userID, deviceID, registration, now())) });
      } catch (error) {
        if (error instanceof DeviceLimitError) throw new ApiRequestError(409, error.message, { limit: error.limit });
        throw error;
      }
    },

    async deleteDevice(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      const removed = await store.remove(pathIdOf(event, 'userID'), pathIdOf(event, 'deviceID'));
      if (!removed) throw new ApiRequestError(404, 'no such device');
      return jsonResponse(200, { removed });
    },

    async listDevices(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      const userID = pathIdOf(event, 'userID');
      return jsonResponse(200, { userID, devices: await store.listFor(userID) });
    },
  };
}
