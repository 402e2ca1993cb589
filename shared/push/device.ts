/**
 * A registered device: where one user's notifications go on one installation of the app.
 * `PUT /api/devices/{userID}/{deviceID}` takes a DeviceRegistration; the provider is the service
 * the token belongs to (an FCM registration token, an APNs device token, or a token the SNS
 * platform application turns into an endpoint).
 */
import * as z from 'zod';

export const PUSH_PLATFORMS = ['ios', 'android', 'web'] as const;
export const PUSH_PROVIDER_NAMES = ['fcm', 'apns', 'sns'] as const;
export type PushProviderName = (typeof PUSH_PROVIDER_NAMES)[number];

/** Path segments: letters, digits and `._:@-`, as OpenIM user IDs and app-chosen device IDs are. */
export const PathId = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'use 1 to 128 letters, digits or . _ : @ -');

export const DeviceRegistration = z
  .strictObject({
    platform: z.enum(PUSH_PLATFORMS),
    provider: z.enum(PUSH_PROVIDER_NAMES),
    token: z.string().min(1).max(4096),
  })
  .refine((device) => device.provider !== 'apns' || device.platform === 'ios', {
    message: 'provider "apns" serves platform "ios" only',
    path: ['provider'],
  });
export type DeviceRegistration = z.infer<typeof DeviceRegistration>;

export interface Device extends DeviceRegistration {
  readonly deviceID: string;
  /** ISO time of the last registration. */
  readonly updatedAt: string;
}

export interface UserDevice extends Device {
  readonly userID: string;
}
