import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK_COMMANDS } from '#shared/openim/commands.ts';
import { MEDIA_CONTENT_TYPES, webhookSettings } from '#shared/openim/webhooks-yml.ts';
import { DEFAULT_ADMIN_USER_ID } from '#shared/openim/admin/admin-config.ts';
import { NetworkStack } from '../../infra/stacks/network-stack.ts';
import { OpenimStack } from '../../infra/stacks/openim-stack.ts';
import { appWithoutBundling, LOG_RETENTION } from './helpers.ts';

interface ContainerJson {
  Name: string;
  Image: string;
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  Command?: string[];
}

function build(dependencies: 'containers' | 'managed', vpcProps: ec2.VpcProps = {}): Template {
  const app = appWithoutBundling();
  const shared = new Stack(app, 'Shared');
  const vpc = new ec2.Vpc(shared, 'Vpc', vpcProps);
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

function secretsOf(c: ContainerJson): Record<string, unknown> {
  return Object.fromEntries((c.Secrets ?? []).map((e) => [e.Name, e.ValueFrom]));
}

/** The logical ID of the only resource of `type`. */
function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0] as string;
}

/** The logical ID of OpenIM's object bucket: the one that logs to the other. */
function objectBucketOf(template: Template): string {
  const ids = Object.keys(template.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } }));
  if (ids.length !== 1) throw new Error(`expected one logged bucket, found ${ids.length}`);
  return ids[0] as string;
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

  it('sets every callback of the registry through IMENV_WEBHOOKS variables, as the printed webhooks.yml does', () => {
    const environment = environmentOf(container(local, 'openim-server'));
    for (const { configKey, enable, timeout } of webhookSettings()) {
      expect(environment[`IMENV_WEBHOOKS_${configKey.toUpperCase()}_ENABLE`]).toBe(String(enable));
      expect(environment[`IMENV_WEBHOOKS_${configKey.toUpperCase()}_TIMEOUT`]).toBe(String(timeout));
    }
    expect(Object.keys(CALLBACK_COMMANDS).length).toBeLessThanOrEqual(webhookSettings().length);
  });

  it('makes the moderation Lambdas\' admin user an OpenIM admin beside imAdmin, in both versions\' keys', () => {
    const environment = environmentOf(container(local, 'openim-server'));
    for (const key of ['IMENV_SHARE_IMADMINUSERID', 'IMENV_SHARE_IMADMINUSER_USERIDS', 'IMENV_SHARE_IMADMINUSER_NICKNAMES']) {
      expect(environment[key]?.split(',')).toEqual(['imAdmin', DEFAULT_ADMIN_USER_ID]);
    }
  });

  it('passes deniedTypes as a comma-separated list, which viper splits (a YAML-style [..] would not parse)', () => {
    const environment = environmentOf(container(local, 'openim-server'));
    expect(environment.IMENV_WEBHOOKS_BEFORESENDSINGLEMSG_DENIEDTYPES).toBe(MEDIA_CONTENT_TYPES.join(','));
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

  it('keeps Kafka and MinIO on localhost by default', () => {
    const environment = environmentOf(container(local, 'openim-server'));
    expect(environment.IMENV_KAFKA_ADDRESS).toBe('localhost:9092');
    expect(environment.IMENV_MINIO_INTERNALADDRESS).toBe('localhost:9000');
    expect(environment).not.toHaveProperty('IMENV_OPENIM_RPC_THIRD_OBJECT_ENABLE');
    local.resourceCountIs('AWS::MSK::Cluster', 0);
    local.resourceCountIs('AWS::S3::Bucket', 0);
  });

  it('uses DocumentDB, ElastiCache, MSK and S3 instead of the MongoDB, Redis, Kafka and MinIO containers when managed', () => {
    managed.resourceCountIs('AWS::DocDB::DBCluster', 1);
    managed.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
    managed.resourceCountIs('AWS::MSK::Cluster', 1);
    expect(containers(managed).map((c) => c.Name).sort()).toEqual(['etcd', 'openim-chat', 'openim-server']);
  });

  it('runs one MSK broker per private subnet, TLS to clients and between brokers, with broker logs', () => {
    managed.hasResourceProperties('AWS::MSK::Cluster', {
      NumberOfBrokerNodes: 2,
      EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
      LoggingInfo: { BrokerLogs: { CloudWatchLogs: { Enabled: true } } },
    });
  });

  it('lets MSK create OpenIM\'s topics on first use, replicated on both brokers', () => {
    managed.hasResourceProperties('AWS::MSK::Configuration', {
      ServerProperties: Match.stringLikeRegexp('auto\\.create\\.topics\\.enable=true[\\s\\S]*default\\.replication\\.factor=2'),
    });
  });

  it('admits only the OpenIM task to the brokers, on the TLS port', () => {
    managed.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 9094,
      ToPort: 9094,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TaskSg'), 'GroupId'] },
    });
  });

  it('passes OpenIM the bootstrap brokers read at deploy time, with TLS on', () => {
    const environment = environmentOf(container(managed, 'openim-server'));
    expect(environment.IMENV_KAFKA_ADDRESS).toEqual({ 'Fn::GetAtt': [logicalIdOf(managed, 'Custom::AWS'), 'BootstrapBrokerStringTls'] });
    expect(environment.IMENV_KAFKA_TLS_ENABLETLS).toBe('true');
  });

  it('reads the bootstrap brokers with kafka:GetBootstrapBrokers on the cluster only', () => {
    managed.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'kafka:GetBootstrapBrokers', Resource: { 'Fn::GetAtt': [logicalIdOf(managed, 'AWS::MSK::Cluster'), 'Arn'] } }],
      },
    });
  });

  it('stores objects in an encrypted, private, TLS-only, logged and retained S3 bucket', () => {
    const bucket = objectBucketOf(managed);
    expect(bucket).toMatch(/^Objects/);
    managed.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'objects/' }),
      }),
    });
    managed.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('switches OpenIM\'s object storage to its aws driver with the bucket, the region and an access key from Secrets Manager', () => {
    const server = container(managed, 'openim-server');
    const environment = environmentOf(server);
    const bucket = objectBucketOf(managed);
    expect(environment.IMENV_OPENIM_RPC_THIRD_OBJECT_ENABLE).toBe('aws');
    expect(environment.IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_BUCKET).toEqual({ Ref: bucket });
    expect(environment.IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_REGION).toEqual({ Ref: 'AWS::Region' });
    expect(Object.keys(secretsOf(server))).toEqual(
      expect.arrayContaining(['IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_ACCESSKEYID', 'IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_SECRETACCESSKEY']),
    );
    expect(Object.keys(environment).filter((name) => name.startsWith('IMENV_MINIO_'))).toEqual([]);
  });

  it('limits the object user to object actions on its own bucket', () => {
    const bucket = objectBucketOf(managed);
    const user = logicalIdOf(managed, 'AWS::IAM::User');
    const policies = Object.values(managed.findResources('AWS::IAM::Policy', { Properties: { Users: [{ Ref: user }] } }));
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Effect: string; Action: string[]; Resource: unknown }[]);
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Effect).toBe('Allow');
    expect([...(statements[0]?.Action ?? [])].sort()).toEqual(['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject']);
    expect(statements[0]?.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] });
  });

  it('throws at synth when dependencies are managed and the VPC has private subnets in one AZ only', () => {
    expect(() => build('managed', { maxAzs: 1 })).toThrow(/at least 2/);
  });

  it('runs the service in private subnets without a public IP', () => {
    local.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
  });

  it('registers openim-server:10002 and openim-chat:10009 with the admin load balancer\'s target groups', () => {
    const app = appWithoutBundling();
    const network = new NetworkStack(app, 'Network', { logRetention: LOG_RETENTION, openimAdminApi: true });
    const callbackSecret = new secretsmanager.Secret(new Stack(app, 'Shared'), 'CallbackSecret');
    const admin = network.openimAdmin;
    if (!admin) throw new Error('no admin load balancer');
    const template = Template.fromStack(
      new OpenimStack(app, 'Openim', {
        prefix: 'openim-hooks-test',
        vpc: network.vpc,
        callbackBaseUrl: 'https://api.example.com/test/openim/',
        callbackSecret,
        adminTargetGroups: { api: admin.apiTargetGroup, chatAdmin: admin.chatAdminTargetGroup },
        logRetention: LOG_RETENTION,
      }),
    );
    template.hasResourceProperties('AWS::ECS::Service', {
      HealthCheckGracePeriodSeconds: 300,
      LoadBalancers: Match.arrayWith([
        Match.objectLike({ ContainerName: 'openim-server', ContainerPort: 10002 }),
        Match.objectLike({ ContainerName: 'openim-chat', ContainerPort: 10009 }),
      ]),
    });
  });

  it('registers with no load balancer when none is given', () => {
    const service = Object.values(local.findResources('AWS::ECS::Service'))[0];
    expect(service?.Properties.LoadBalancers).toBeUndefined();
    expect(service?.Properties.HealthCheckGracePeriodSeconds).toBeUndefined();
  });
});
