/**
 * Settings a function needs from the deployment rather than from the app: where OpenIM's admin
 * API is and its secret, which push providers to use and their credentials. Plain values come
 * from CDK context (`-c openimApiUrl=https://...`); secrets are Secrets Manager secrets named in
 * context (`-c openimSecretName=...`) and reach the function as CloudFormation dynamic
 * references, resolved at deploy time and never written into the template (the same trade-off as
 * the callback secret: the value is visible in the function's configuration). A function lists
 * the groups it needs (`settings` in infra/workers.ts and infra/operator-routes.ts); settings
 * left out of the context are not set, and the function runs without that capability, except
 * OpenIM's URLs when this app deploys OpenIM (see OpenimAdminEndpoint).
 */
import { Arn, SecretValue, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagSuppressions } from 'cdk-nag';
import type { CallbackFunction } from '../constructs/callback-function.ts';
import { contextValue } from './stage-config.ts';

export interface SecretSetting {
  /** Context key naming the secret. */
  readonly contextKey: string;
  readonly envVar: string;
  /** Key inside a JSON secret; the whole secret string when absent. */
  readonly jsonField?: string;
}

export interface SettingGroup {
  /** Context key -> environment variable. */
  readonly values: Readonly<Record<string, string>>;
  readonly secrets: readonly SecretSetting[];
}

export const SETTING_GROUPS = {
  /** The OpenIM admin REST API, for moderators' decisions and repeat-offender penalties. */
  openimAdmin: {
    values: { openimApiUrl: 'OPENIM_API_URL', openimAdminUserId: 'OPENIM_ADMIN_USER_ID', openimChatApiUrl: 'OPENIM_CHAT_API_URL' },
    secrets: [
      { contextKey: 'openimSecretName', envVar: 'OPENIM_SECRET' },
      { contextKey: 'openimChatAdminSecretName', envVar: 'OPENIM_CHAT_ADMIN_ACCOUNT', jsonField: 'account' },
      { contextKey: 'openimChatAdminSecretName', envVar: 'OPENIM_CHAT_ADMIN_PASSWORD', jsonField: 'password' },
    ],
  },
  /** Push providers: FCM HTTP v1, APNs (token-based) and SNS mobile push. */
  pushProviders: {
    values: {
      pushDelivery: 'PUSH_DELIVERY',
      fcmProjectId: 'FCM_PROJECT_ID',
      apnsKeyId: 'APNS_KEY_ID',
      apnsTeamId: 'APNS_TEAM_ID',
      apnsTopic: 'APNS_TOPIC',
      snsApnsApplicationArn: 'SNS_APNS_APPLICATION_ARN',
      snsFcmApplicationArn: 'SNS_FCM_APPLICATION_ARN',
      snsApnsSandbox: 'SNS_APNS_SANDBOX',
    },
    secrets: [
      { contextKey: 'fcmServiceAccountSecretName', envVar: 'FCM_SERVICE_ACCOUNT_JSON' },
      { contextKey: 'apnsPrivateKeySecretName', envVar: 'APNS_PRIVATE_KEY' },
    ],
  },
} as const satisfies Record<string, SettingGroup>;

export type SettingGroupName = keyof typeof SETTING_GROUPS;

/**
 * OpenIM's admin APIs when this app deploys OpenIM: behind an internal load balancer, so the
 * functions of the `openimAdmin` group run in `vpc` and default to these URLs and to the secrets
 * that the deployed OpenIM uses.
 */
export interface OpenimAdminEndpoint {
  readonly vpc: ec2.IVpc;
  /** Default of `openimApiUrl` when the context sets none. */
  readonly apiUrl: string;
  /** Default of `openimChatApiUrl` when the context sets none. */
  readonly chatApiUrl: string;
  /** Default of `openimSecretName`: the deployed OpenIM's share secret. */
  readonly secretName: string;
  /** Default of `openimChatAdminSecretName`: the deployed chat's admin login. */
  readonly chatAdminSecretName: string;
}

/** Where a function of these groups runs and which settings default to what, given `endpoint`. */
export function deploymentPlacement(
  groups: readonly SettingGroupName[],
  endpoint: OpenimAdminEndpoint | undefined,
): { readonly vpc: ec2.IVpc | undefined; readonly defaults: Readonly<Record<string, string>> } {
  if (!endpoint || !groups.includes('openimAdmin')) return { vpc: undefined, defaults: {} };
  return {
    vpc: endpoint.vpc,
    defaults: {
      openimApiUrl: endpoint.apiUrl,
      openimChatApiUrl: endpoint.chatApiUrl,
      openimSecretName: endpoint.secretName,
      openimChatAdminSecretName: endpoint.chatAdminSecretName,
    },
  };
}

/** The SNS platform applications a push worker may create endpoints in. */
const SNS_APPLICATION_KEYS = ['snsApnsApplicationArn', 'snsFcmApplicationArn'] as const;

/**
 * Sets the groups' settings present in context (or else in `defaults`, keyed by context key) on
 * `fn`, and grants what they need.
 */
export function applyDeploymentSettings(
  fn: CallbackFunction,
  groups: readonly SettingGroupName[],
  defaults: Readonly<Record<string, string>> = {},
): void {
  const context = (key: string) => contextValue(fn.node, key);
  for (const name of groups) {
    const group: SettingGroup = SETTING_GROUPS[name];
    for (const [contextKey, envVar] of Object.entries(group.values)) {
      const value = context(contextKey) ?? defaults[contextKey];
      if (value !== undefined) fn.addEnvironment(envVar, value);
    }
    for (const secret of group.secrets) {
      const secretName = context(secret.contextKey) ?? defaults[secret.contextKey];
      if (secretName === undefined) continue;
      const reference = SecretValue.secretsManager(secretName, secret.jsonField ? { jsonField: secret.jsonField } : {});
      fn.addEnvironment(secret.envVar, reference.unsafeUnwrap());
    }
    if (name === 'pushProviders') allowSnsMobilePush(fn, SNS_APPLICATION_KEYS.map(context).filter((arn): arn is string => arn !== undefined));
  }
}

/** CreatePlatformEndpoint on the named applications, Publish on their endpoints. */
function allowSnsMobilePush(fn: CallbackFunction, applicationArns: readonly string[]): void {
  if (applicationArns.length === 0) return;
  const stack = Stack.of(fn);
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:CreatePlatformEndpoint'], resources: [...applicationArns] }));
  const endpoints = Arn.format({ service: 'sns', resource: 'endpoint', resourceName: '*' }, stack);
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [endpoints] }));
  NagSuppressions.addResourceSuppressions(
    fn,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'SNS creates one platform endpoint per device token at run time, so their ARNs cannot be listed; Publish is limited to endpoints of this account and region.',
        appliesTo: [{ regex: '/^Resource::arn:.*:sns:.*:endpoint\\/\\*$/g' }],
      },
    ],
    true,
  );
}
