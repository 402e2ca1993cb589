/**
 * Per-environment settings, read from CDK context (`cdk deploy -c stage=prod -c apiEndpoint=private`).
 * Every key, its values and default are listed in infra/README.md "Context keys". Bad values
 * fail the synth with every problem listed at once.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export const API_ENDPOINTS = ['regional', 'private'] as const;
export type ApiEndpoint = (typeof API_ENDPOINTS)[number];

export const OPERATOR_AUTHS = ['cognito', 'iam'] as const;
export type OperatorAuth = (typeof OPERATOR_AUTHS)[number];

export const OPENIM_DEPENDENCIES = ['containers', 'managed'] as const;
export type OpenimDependencies = (typeof OPENIM_DEPENDENCIES)[number];

export const OPENIM_VERSIONS = ['v3.8.3', 'main'] as const;
export type OpenimVersion = (typeof OPENIM_VERSIONS)[number];

export interface StageConfig {
  readonly stage: Stage;
  /** Prefix of physical names, so that stages can share an account: `openim-hooks-<stage>`. */
  readonly prefix: string;
  readonly apiEndpoint: ApiEndpoint;
  readonly operatorAuth: OperatorAuth;
  readonly deployOpenIM: boolean;
  readonly openimDependencies: OpenimDependencies;
  readonly openimVersion: OpenimVersion;
  /** Image overrides; `main` has no published image, so it needs `openimServerImage`. */
  readonly openimServerImage: string | undefined;
  readonly openimChatImage: string | undefined;
  /** ECR pull-through cache for Docker Hub (`<account>.dkr.ecr.<region>.amazonaws.com/<namespace>`), checked by infra/openim/image-source.ts. */
  readonly openimImageRegistry: string | undefined;
  /** JSON object of repository -> `sha256:...`, checked by infra/openim/image-source.ts. */
  readonly openimImageDigests: string | undefined;
  /** Existing VPC to use instead of creating one (looked up, so it needs credentials at synth). */
  readonly vpcId: string | undefined;
  /** Warm before-callback environments; 0 disables provisioned concurrency. */
  readonly beforeProvisionedConcurrency: number;
  /** Concurrency reserved for the before-callback function; undefined leaves it unreserved. */
  readonly beforeReservedConcurrency: number | undefined;
  /** Where alarms notify (e-mail subscription to the alarm topic); undefined: topic only. */
  readonly alarmEmail: string | undefined;
  /** Days the Lambda and API logs are kept. */
  readonly logRetentionDays: number;
}

/** Defaults per stage; context keys override them one by one. */
const STAGE_DEFAULTS: Record<Stage, Pick<StageConfig, 'beforeProvisionedConcurrency' | 'logRetentionDays'>> = {
  dev: { beforeProvisionedConcurrency: 0, logRetentionDays: 14 },
  prod: { beforeProvisionedConcurrency: 2, logRetentionDays: 90 },
};

export class StageConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid CDK context:\n  - ${problems.join('\n  - ')}`);
    this.name = 'StageConfigError';
  }
}

/** A context value as text; missing, null and empty all mean "not set". */
export function contextValue(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** Reads and checks the context of `node` (normally the App). */
export function readStageConfig(node: Node): StageConfig {
  const problems: string[] = [];
  const text = (key: string) => contextValue(node, key);
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = text(key) ?? fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`${key} must be one of ${allowed.join('|')}, got "${value}"`);
    return fallback;
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const value = text(key);
    if (value === undefined) return fallback;
    if (value === 'true' || value === 'false') return value === 'true';
    problems.push(`${key} must be true or false, got "${value}"`);
    return fallback;
  };
  const count = (key: string, fallback: number | undefined, min: number): number | undefined => {
    const value = text(key);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (Number.isInteger(parsed) && parsed >= min) return parsed;
    problems.push(`${key} must be an integer >= ${min}, got "${value}"`);
    return fallback;
  };

  const stage = oneOf('stage', STAGES, 'dev');
  const defaults = STAGE_DEFAULTS[stage];
  const config: StageConfig = {
    stage,
    prefix: `openim-hooks-${stage}`,
    apiEndpoint: oneOf('apiEndpoint', API_ENDPOINTS, 'regional'),
    operatorAuth: oneOf('operatorAuth', OPERATOR_AUTHS, 'cognito'),
    deployOpenIM: flag('deployOpenIM', true),
    openimDependencies: oneOf('openimDependencies', OPENIM_DEPENDENCIES, 'containers'),
    openimVersion: oneOf('openimVersion', OPENIM_VERSIONS, 'v3.8.3'),
    openimServerImage: text('openimServerImage'),
    openimChatImage: text('openimChatImage'),
    openimImageRegistry: text('openimImageRegistry'),
    openimImageDigests: text('openimImageDigests'),
    vpcId: text('vpcId'),
    beforeProvisionedConcurrency: count('beforeProvisionedConcurrency', defaults.beforeProvisionedConcurrency, 0) ?? 0,
    beforeReservedConcurrency: count('beforeReservedConcurrency', undefined, 1),
    alarmEmail: text('alarmEmail'),
    logRetentionDays: count('logRetentionDays', defaults.logRetentionDays, 1) ?? defaults.logRetentionDays,
  };

  if (config.deployOpenIM && config.openimVersion === 'main' && !config.openimServerImage) {
    problems.push('openimVersion=main needs openimServerImage: OpenIM publishes no image of main, so pin your own build');
  }
  if (
    config.beforeReservedConcurrency !== undefined &&
    config.beforeReservedConcurrency < config.beforeProvisionedConcurrency
  ) {
    problems.push('beforeReservedConcurrency must be at least beforeProvisionedConcurrency');
  }
  if (!(Object.values(RetentionDays) as number[]).includes(config.logRetentionDays)) {
    problems.push(`logRetentionDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...), got ${config.logRetentionDays}`);
  }
  if (problems.length > 0) throw new StageConfigError(problems);
  return config;
}
