import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK_COMMANDS } from '#shared/openim/commands.ts';
import { OpenimStack } from '../../infra/stacks/openim-stack.ts';
import { appWithoutBundling, LOG_RETENTION } from './helpers.ts';

interface ContainerJson {
  Name: string;
  Image: string;
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  Command?: string[];
}

function build(dependencies: 'containers' | 'managed'): Template {
  const app = appWithoutBundling();
  const shared = new Stack(app, 'Shared');
  const vpc = new ec2.Vpc(shared, 'Vpc');
  const callbackSecret = new secretsmanager.Secret(shared, 'CallbackSecret');
  return Template.fromStack(
    new OpenimStack(app, 'Openim', {
      prefix: 'openim-hooks-test',
      vpc,
      callbackBaseUrl: 'https://api.example.com/test/openim/',
      callbackSecret,
      dependencies,
      logRetention: LOG_RETENTION,
    }),
  );
}

function containers(template: Template): ContainerJson[] {
  const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0];
  return task?.Properties.ContainerDefinitions as ContainerJson[];
}

function container(template: Template, name: string): ContainerJson {
  const found = containers(template).find((c) => c.Name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
}

function environmentOf(c: ContainerJson): Record<string, unknown> {
  return Object.fromEntries((c.Environment ?? []).map((e) => [e.Name, e.Value]));
}

describe('Stack: OpenimStack', () => {
  let local: Template;
  let managed: Template;

  beforeAll(() => {
    local = build('containers');
    managed = build('managed');
  });

  it('runs openim-server and openim-chat from pinned public images', () => {
    expect(container(local, 'openim-server').Image).toBe('openim/openim-server:v3.8.3-patch.15');
    expect(container(local, 'openim-chat').Image).toBe('openim/openim-chat:v1.8.4-patch.5');
  });

  it('pins every image to a tag other than latest', () => {
    for (const c of containers(local)) expect(c.Image).toMatch(/:(?!latest$)[\w.-]+$/);
  });

  it('enables every callback of the registry through IMENV_WEBHOOKS variables', () => {
    const environment = environmentOf(container(local, 'openim-server'));
    for (const { configKey } of Object.values(CALLBACK_COMMANDS)) {
      expect(environment[`IMENV_WEBHOOKS_${configKey.toUpperCase()}_ENABLE`]).toBe('true');
    }
  });

  it('composes the webhook URL at start from the base URL and the secret, which comes from Secrets Manager', () => {
    const server = container(local, 'openim-server');
    expect(environmentOf(server).WEBHOOKS_BASE_URL).toBe('https://api.example.com/test/openim/');
    expect(server.Command?.[0]).toContain('export IMENV_WEBHOOKS_URL="$WEBHOOKS_BASE_URL$CALLBACK_SECRET"');
    expect(server.Secrets?.map((s) => s.Name)).toContain('CALLBACK_SECRET');
  });

  it('passes no password as a plain environment variable', () => {
    for (const c of containers(local)) {
      expect(Object.keys(environmentOf(c)).filter((name) => /PASSWORD|SECRET(ACCESSKEY)?$/.test(name) && name !== 'WEBHOOKS_BASE_URL')).toEqual([]);
    }
  });

  it('runs MongoDB, Redis, etcd, Kafka and MinIO as containers by default', () => {
    expect(containers(local).map((c) => c.Name).sort()).toEqual(
      ['etcd', 'kafka', 'minio', 'mongo', 'openim-chat', 'openim-server', 'redis'],
    );
  });

  it('uses DocumentDB and ElastiCache instead of the MongoDB and Redis containers when managed', () => {
    managed.resourceCountIs('AWS::DocDB::DBCluster', 1);
    managed.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
    expect(containers(managed).map((c) => c.Name)).not.toEqual(expect.arrayContaining(['mongo']));
    expect(containers(managed).map((c) => c.Name)).not.toEqual(expect.arrayContaining(['redis']));
  });

  it('runs the service in private subnets without a public IP', () => {
    local.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
  });
});
