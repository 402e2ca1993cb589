/**
 * The push worker's settings, from the environment (docs/push.md): its tables, the delivery
 * (the outbox or the providers), the send windows and retries, and the providers' credentials,
 * needed only with PUSH_DELIVERY=providers and only for the providers a deployment uses; a device
 * registered with an unconfigured provider is logged and skipped.
 */
import * as z from 'zod/mini';
import { SECONDS_PER_DAY } from '../time/durations.ts';
import { nonEmpty, parseEnv, positiveWholeNumber, wholeNumber } from './parse-env.ts';

const flag = z.pipe(z._default(z.enum(['true', 'false']), 'false'), z.transform((value) => value === 'true'));
const optional = z.optional(nonEmpty);

export const PushWorkerConfig = z.pipe(
  z
    .object({
      PUSH_DEVICES_TABLE_NAME: nonEmpty,
      PUSH_PREFERENCES_TABLE_NAME: nonEmpty,
      PUSH_DELIVERIES_TABLE_NAME: nonEmpty,
      PUSH_OUTBOX_TABLE_NAME: nonEmpty,
      PRESENCE_TABLE_NAME: nonEmpty,
      PUSH_DELIVERY: z._default(z.enum(['outbox', 'providers']), 'outbox'),
      PUSH_DELIVERY_RETENTION_DAYS: z._default(wholeNumber(z.minimum(15)), 15),
      PUSH_OUTBOX_RETENTION_DAYS: positiveWholeNumber(7),
      /** Each provider's window of sends in flight starts here and adapts (shared/push/adaptive-concurrency.ts). */
      PUSH_SEND_CONCURRENCY: z._default(wholeNumber(z.minimum(1), z.maximum(1024)), 16),
      PUSH_SEND_MAX_CONCURRENCY: z._default(wholeNumber(z.minimum(1), z.maximum(1024)), 256),
      /** A provider answer slower than this narrows its window. */
      PUSH_LATENCY_TARGET_MS: positiveWholeNumber(1000),
      PUSH_SEND_ATTEMPTS: z._default(wholeNumber(z.minimum(1), z.maximum(10)), 3),
      PUSH_RETRY_DELAY_MS: z._default(wholeNumber(z.minimum(0)), 100),
      PUSH_PROVIDER_TIMEOUT_MS: positiveWholeNumber(5000),
      /** A job whose devices surely failed comes back after this, tripled on each receive; 0: after the queue's visibility timeout. */
      PUSH_REDELIVERY_DELAY_SECONDS: z._default(wholeNumber(z.minimum(0), z.maximum(3600)), 10),
      FCM_PROJECT_ID: optional,
      FCM_SERVICE_ACCOUNT_JSON: optional,
      FCM_ENDPOINT: optional,
      FCM_TOKEN_URI: optional,
      APNS_KEY_ID: optional,
      APNS_TEAM_ID: optional,
      APNS_PRIVATE_KEY: optional,
      APNS_TOPIC: optional,
      APNS_ENDPOINT: optional,
      SNS_APNS_APPLICATION_ARN: optional,
      SNS_FCM_APPLICATION_ARN: optional,
      SNS_APNS_SANDBOX: flag,
      SNS_MOBILE_ENDPOINT: optional,
    })
    .check(
      z.superRefine((env, context) => {
        const groups = {
          FCM: ['FCM_PROJECT_ID', 'FCM_SERVICE_ACCOUNT_JSON'],
          APNs: ['APNS_KEY_ID', 'APNS_TEAM_ID', 'APNS_PRIVATE_KEY', 'APNS_TOPIC'],
        } as const;
        for (const [provider, keys] of Object.entries(groups)) {
          const set = keys.filter((key) => env[key] !== undefined);
          if (set.length > 0 && set.length < keys.length) {
            context.addIssue({ code: 'custom', message: `${provider} needs all of ${keys.join(', ')} (only ${set.join(', ')} set)` });
          }
        }
        if (env.FCM_SERVICE_ACCOUNT_JSON !== undefined && !isServiceAccount(env.FCM_SERVICE_ACCOUNT_JSON)) {
          context.addIssue({ code: 'custom', message: 'FCM_SERVICE_ACCOUNT_JSON must be a service-account key (JSON with client_email and private_key)' });
        }
      }),
    ),
  z.transform((env) => ({
    tables: {
      devices: env.PUSH_DEVICES_TABLE_NAME,
      preferences: env.PUSH_PREFERENCES_TABLE_NAME,
      deliveries: env.PUSH_DELIVERIES_TABLE_NAME,
      outbox: env.PUSH_OUTBOX_TABLE_NAME,
      presence: env.PRESENCE_TABLE_NAME,
    },
    delivery: env.PUSH_DELIVERY,
    deliveryRetentionSeconds: env.PUSH_DELIVERY_RETENTION_DAYS * SECONDS_PER_DAY,
    outboxRetentionSeconds: env.PUSH_OUTBOX_RETENTION_DAYS * SECONDS_PER_DAY,
    window: { initial: env.PUSH_SEND_CONCURRENCY, max: Math.max(env.PUSH_SEND_CONCURRENCY, env.PUSH_SEND_MAX_CONCURRENCY), latencyTargetMs: env.PUSH_LATENCY_TARGET_MS },
    attempts: env.PUSH_SEND_ATTEMPTS,
    retryDelayMs: env.PUSH_RETRY_DELAY_MS,
    timeoutMs: env.PUSH_PROVIDER_TIMEOUT_MS,
    redeliveryDelaySeconds: env.PUSH_REDELIVERY_DELAY_SECONDS,
    fcm:
      env.FCM_PROJECT_ID && env.FCM_SERVICE_ACCOUNT_JSON
        ? { projectId: env.FCM_PROJECT_ID, serviceAccount: JSON.parse(env.FCM_SERVICE_ACCOUNT_JSON) as ServiceAccount, endpoint: env.FCM_ENDPOINT, tokenUri: env.FCM_TOKEN_URI }
        : undefined,
    apns:
      env.APNS_KEY_ID && env.APNS_TEAM_ID && env.APNS_PRIVATE_KEY && env.APNS_TOPIC
        ? { keyId: env.APNS_KEY_ID, teamId: env.APNS_TEAM_ID, privateKey: env.APNS_PRIVATE_KEY.replace(/\\n/g, '\n'), topic: env.APNS_TOPIC, endpoint: env.APNS_ENDPOINT }
        : undefined,
    sns:
      env.SNS_APNS_APPLICATION_ARN || env.SNS_FCM_APPLICATION_ARN
        ? { apnsApplicationArn: env.SNS_APNS_APPLICATION_ARN, fcmApplicationArn: env.SNS_FCM_APPLICATION_ARN, apnsSandbox: env.SNS_APNS_SANDBOX, endpoint: env.SNS_MOBILE_ENDPOINT }
        : undefined,
  })),
);
export type PushWorkerConfig = z.output<typeof PushWorkerConfig>;

interface ServiceAccount {
  readonly client_email: string;
  readonly private_key: string;
  readonly token_uri?: string;
}

function isServiceAccount(text: string): boolean {
  try {
    const key = JSON.parse(text) as Partial<ServiceAccount>;
    return typeof key.client_email === 'string' && typeof key.private_key === 'string';
  } catch {
    return false;
  }
}

export const loadPushWorkerConfig = (env: NodeJS.ProcessEnv = process.env) => parseEnv(PushWorkerConfig, env);
