/** Builds the OpenIM stack per mode and version, and reads its containers back from the template. */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { OpenimDependencies, OpenimVersion } from '../../infra/config/stage-config.ts';
import type { ImageSourceProps } from '../../infra/openim/image-source.ts';
import { OpenimAdminSecrets } from '../../infra/openim/secrets.ts';
import { OpenimStack } from '../../infra/stacks/openim-stack.ts';
import { appWithoutBundling, LOG_RETENTION } from './helpers.ts';

export interface ContainerJson {
  Name: string;
  Image: string;
  Essential?: boolean;
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  Command?: unknown[];
  HealthCheck?: { Command: string[] };
  DependsOn?: { ContainerName: string; Condition: string }[];
  MountPoints?: { ContainerPath: string; SourceVolume: string; ReadOnly: boolean }[];
}

export interface OpenimBuild {
  readonly dependencies?: OpenimDependencies;
  readonly version?: OpenimVersion;
  readonly images?: ImageSourceProps;
  readonly vpcProps?: ec2.VpcProps;
}

/** An image of main, as a deployment gives one (OpenIM publishes none). */
export const MAIN_SERVER_IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/openim-server:main-7848d7c';

/** Every documented mode: dependencies x OpenIM version. */
export const MODES = [
  { dependencies: 'containers', version: 'v3.8.3' },
  { dependencies: 'containers', version: 'main' },
  { dependencies: 'managed', version: 'v3.8.3' },
  { dependencies: 'managed', version: 'main' },
] as const satisfies readonly { dependencies: OpenimDependencies; version: OpenimVersion }[];

export function buildOpenim(options: OpenimBuild = {}): Template {
  const app = appWithoutBundling();
  const shared = new Stack(app, 'Shared');
  const vpc = new ec2.Vpc(shared, 'Vpc', options.vpcProps ?? {});
  const callbackSecret = new secretsmanager.Secret(shared, 'CallbackSecret');
  const adminSecrets = new OpenimAdminSecrets(shared, 'AdminSecrets', { prefix: 'openim-hooks-test' });
  return Template.fromStack(
    new OpenimStack(app, 'Openim', {
      prefix: 'openim-hooks-test',
      vpc,
      callbackBaseUrl: 'https://api.example.com/test/openim/',
      callbackSecret,
      adminSecrets,
      dependencies: options.dependencies ?? 'containers',
      version: options.version ?? 'v3.8.3',
      serverImage: options.version === 'main' ? MAIN_SERVER_IMAGE : undefined,
      images: options.images,
      logRetention: LOG_RETENTION,
    }),
  );
}

export function containers(template: Template): ContainerJson[] {
  const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0];
  return task?.Properties.ContainerDefinitions as ContainerJson[];
}

export function container(template: Template, name: string): ContainerJson {
  const found = containers(template).find((c) => c.Name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
}

export function environmentOf(c: ContainerJson): Record<string, unknown> {
  return Object.fromEntries((c.Environment ?? []).map((e) => [e.Name, e.Value]));
}

export function secretsOf(c: ContainerJson): Record<string, unknown> {
  return Object.fromEntries((c.Secrets ?? []).map((e) => [e.Name, e.ValueFrom]));
}

/** The start command as one string, with CloudFormation tokens shown as `${...}` (`${<logical ID>.<attribute>}` for Fn::GetAtt). */
export function commandOf(c: ContainerJson): string {
  const flatten = (value: unknown): string => {
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.map(flatten).join('');
    if (value && typeof value === 'object' && 'Fn::Join' in value) {
      const [separator, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
      return parts.map(flatten).join(separator);
    }
    const attribute = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    return attribute ? `\${${attribute.join('.')}}` : `\${${JSON.stringify(value)}}`;
  };
  return (c.Command ?? []).map(flatten).join(' ');
}

/** Every variable the container gets: environment, ECS secrets and those its start command exports. */
export function variablesOf(c: ContainerJson): string[] {
  const exported = [...commandOf(c).matchAll(/\bexport ([A-Z0-9_]+)=/g)].map((m) => m[1] as string);
  return [...Object.keys(environmentOf(c)), ...Object.keys(secretsOf(c)), ...exported];
}
