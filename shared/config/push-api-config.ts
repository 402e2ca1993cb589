/** The operator API's push settings, from the environment (docs/push.md): devices and preferences. */
import * as z from 'zod/mini';
import { SECONDS_PER_DAY } from '../time/durations.ts';
import { nonEmpty, parseEnv, positiveWholeNumber, wholeNumber } from './parse-env.ts';

export const DeviceApiConfig = z.pipe(
  z.object({
    PUSH_DEVICES_TABLE_NAME: nonEmpty,
    PUSH_MAX_DEVICES_PER_USER: z._default(wholeNumber(z.minimum(1), z.maximum(100)), 10),
  }),
  z.transform((env) => ({ devicesTableName: env.PUSH_DEVICES_TABLE_NAME, maxDevicesPerUser: env.PUSH_MAX_DEVICES_PER_USER })),
);
export type DeviceApiConfig = z.output<typeof DeviceApiConfig>;

export const PushApiConfig = z.pipe(
  z.object({
    PUSH_PREFERENCES_TABLE_NAME: nonEmpty,
    PUSH_OUTBOX_TABLE_NAME: nonEmpty,
    PUSH_OUTBOX_RETENTION_DAYS: positiveWholeNumber(7),
  }),
  z.transform((env) => ({
    tables: { preferences: env.PUSH_PREFERENCES_TABLE_NAME, outbox: env.PUSH_OUTBOX_TABLE_NAME },
    outboxRetentionSeconds: env.PUSH_OUTBOX_RETENTION_DAYS * SECONDS_PER_DAY,
  })),
);
export type PushApiConfig = z.output<typeof PushApiConfig>;

export const loadDeviceApiConfig = (env: NodeJS.ProcessEnv = process.env) => parseEnv(DeviceApiConfig, env);
export const loadPushApiConfig = (env: NodeJS.ProcessEnv = process.env) => parseEnv(PushApiConfig, env);
