import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK_COMMANDS } from '#shared/openim/commands.ts';
import { MEDIA_CONTENT_TYPES, webhookSettings } from '#shared/openim/webhooks-yml.ts';
import { OPENIM_ADMIN_USERS } from '../../infra/openim/admin-users-environment.ts';
import { BUCKET_ACTIONS, OBJECT_ACTIONS } from '../../infra/openim/object-storage.ts';
import { OpenimAdminSecrets } from '../../infra/openim/secrets.ts';
import { NetworkStack } from '../../infra/stacks/network-stack.ts';
import { OpenimStack } from '../../infra/stacks/openim-stack.ts';
import { appWithoutBundling, LOG_RETENTION } from './helpers.ts';
import { buildOpenim, commandOf, container, containers, environmentOf, MAIN_SERVER_IMAGE, secretsOf } from './openim-template.ts';

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

/** The secret a container variable comes from, as its logical ID (ECS secrets reference the secret's ARN). */
function secretIdOf(c: ReturnType<typeof container>, name: string): string {
  return JSON.stringify(secretsOf(c)[name]).match(/"(?:Ref|Fn::ImportValue)":"([^"]+)"/)?.[1] ?? '';
}

/** Values OpenIM and chat ship as credentials (config/*.yml of the pinned tags). */
const SHIPPED_CREDENTIALS = ['openIM123', 'chat123', '666666', '"chatAdmin"', '23ztfSqsfQ8hKkHzHTl3Z4bvaxro0snjk5jwbp5p6Q3'];

const MAIN_ONLY_KEYS = Object.values(CALLBACK_COMMANDS).filter((c) => c.since === 'main').map((c) => c.configKey);

describe('Stack: OpenimStack', () => {
  let local: Template;
  let managed: Template;
  let localMain: Template;
  let managedMain: Template;

  beforeAll(() => {
    local = buildOpenim({ dependencies: 'containers', version: 'v3.8.3' });
    managed = buildOpenim({ dependencies: 'managed', version: 'v3.8.3' });
    localMain = buildOpenim({ dependencies: 'containers', version: 'main' });
    managedMain = buildOpenim({ dependencies: 'managed', version: 'main' });
  });

  const all = () => [
    { case: 'containers, v3.8.3', template: local },
    { case: 'managed, v3.8.3', template: managed },
    { case: 'containers, main', template: localMain },
    { case: 'managed, main', template: managedMain },
  ];

  describe('Images and start', () => {
    it('runs openim-server and openim-chat from pinned public images in v3.8.3, and the given server image in main', () => {
      expect(container(local, 'openim-server').Image).toBe('openim/openim-server:v3.8.3-patch.15');
      expect(container(local, 'openim-chat').Image).toBe('openim/openim-chat:v1.8.4-patch.5');
      expect(container(localMain, 'openim-server').Image).toBe(MAIN_SERVER_IMAGE);
    });

    it('pins every image to a tag other than latest, in every mode', () => {
      for (const { template } of all()) for (const c of containers(template)) expect(c.Image).toMatch(/:(?!latest$)[\w.-]+$/);
    });

    it('checks v3.8.3 with `mage check` (on its PATH) and main with `./mage check` (main\'s image has only ./mage)', () => {
      for (const template of [local, managed]) expect(container(template, 'openim-server').HealthCheck?.Command).toEqual(['CMD-SHELL', 'mage check']);
      for (const template of [localMain, managedMain]) expect(container(template, 'openim-server').HealthCheck?.Command).toEqual(['CMD-SHELL', './mage check']);
    });

    it('starts each server image with its own start command, and chat with ./mage', () => {
      expect(commandOf(container(local, 'openim-server'))).toMatch(/&& mage start && tail -f \/dev\/null$/);
      expect(commandOf(container(localMain, 'openim-server'))).toMatch(/&& \.\/mage start && sleep infinity$/);
      expect(commandOf(container(local, 'openim-chat'))).toBe('./mage start && sleep infinity');
    });

    it('starts chat only once openim-server is healthy', () => {
      for (const { template } of all()) {
        expect(container(template, 'openim-chat').DependsOn).toEqual(expect.arrayContaining([{ ContainerName: 'openim-server', Condition: 'HEALTHY' }]));
      }
    });
  });

  describe('Webhooks and admin users', () => {
    it('sets every callback of the registry that v3.8.3 has through IMENV_WEBHOOKS variables, as the printed webhooks.yml does', () => {
      const environment = environmentOf(container(local, 'openim-server'));
      for (const { configKey, enable, timeout } of webhookSettings().filter((s) => !MAIN_ONLY_KEYS.includes(s.configKey))) {
        expect(environment[`IMENV_WEBHOOKS_${configKey.toUpperCase()}_ENABLE`]).toBe(String(enable));
        expect(environment[`IMENV_WEBHOOKS_${configKey.toUpperCase()}_TIMEOUT`]).toBe(String(timeout));
      }
    });

    it('sets main\'s own callbacks for main only (v3.8.3 would ignore them)', () => {
      expect(MAIN_ONLY_KEYS.length).toBeGreaterThan(0);
      for (const key of MAIN_ONLY_KEYS) {
        expect(environmentOf(container(localMain, 'openim-server'))).toHaveProperty(`IMENV_WEBHOOKS_${key.toUpperCase()}_ENABLE`);
        expect(environmentOf(container(local, 'openim-server'))).not.toHaveProperty(`IMENV_WEBHOOKS_${key.toUpperCase()}_ENABLE`);
      }
    });

    it('passes deniedTypes as a comma-separated list, which viper splits (a YAML-style [..] would not parse)', () => {
      expect(environmentOf(container(local, 'openim-server')).IMENV_WEBHOOKS_BEFORESENDSINGLEMSG_DENIEDTYPES).toBe(MEDIA_CONTENT_TYPES.join(','));
    });

    it('composes the webhook URL at start from the base URL and the secret, which comes from Secrets Manager', () => {
      const server = container(local, 'openim-server');
      expect(environmentOf(server).WEBHOOKS_BASE_URL).toBe('https://api.example.com/test/openim/');
      expect(commandOf(server)).toMatch(/^export IMENV_WEBHOOKS_URL="\$WEBHOOKS_BASE_URL\$CALLBACK_SECRET" && /);
      expect(Object.keys(secretsOf(server))).toContain('CALLBACK_SECRET');
    });

    it('makes the moderation Lambdas\' admin user an OpenIM admin beside imAdmin, in each version\'s own keys', () => {
      expect(environmentOf(container(local, 'openim-server')).IMENV_SHARE_IMADMINUSERID).toBe(OPENIM_ADMIN_USERS.join(','));
      const main = environmentOf(container(localMain, 'openim-server'));
      expect(main.IMENV_SHARE_IMADMINUSER_USERIDS).toBe(OPENIM_ADMIN_USERS.join(','));
      expect(main.IMENV_SHARE_IMADMINUSER_NICKNAMES).toBe(OPENIM_ADMIN_USERS.join(','));
    });
  });

  describe('Credentials', () => {
    it.each([
      { case: 'containers', dependencies: 'containers' },
      { case: 'managed', dependencies: 'managed' },
    ] as const)('holds none of the credentials OpenIM and chat ship ($case)', ({ dependencies }) => {
      const json = JSON.stringify((dependencies === 'managed' ? managed : local).toJSON());
      for (const credential of SHIPPED_CREDENTIALS) expect(json).not.toContain(credential);
    });

    it('passes no password as a plain environment variable', () => {
      for (const { template } of all()) {
        for (const c of containers(template)) expect(Object.keys(environmentOf(c)).filter((name) => /PASSWORD|SECRET|SUPERCODE|CHATADMIN/.test(name))).toEqual([]);
      }
    });

    it('gives OpenIM and chat the same share secret, from the admin secrets the review Lambdas read', () => {
      for (const { template } of all()) {
        const share = secretIdOf(container(template, 'openim-server'), 'IMENV_SHARE_SECRET');
        expect(share).toMatch(/AdminSecretsShare/);
        expect(secretIdOf(container(template, 'openim-chat'), 'CHATENV_SHARE_OPENIM_SECRET')).toBe(share);
      }
    });

    it('generates chat\'s admin account, token secret, super code and LiveKit secret', () => {
      const chat = container(local, 'openim-chat');
      expect(secretIdOf(chat, 'CHATENV_SHARE_CHATADMIN')).toMatch(/AdminSecretsChatAdminAccount/);
      const generated = local.findResources('AWS::SecretsManager::Secret', { Properties: { GenerateSecretString: Match.objectLike({ ExcludePunctuation: true }) } });
      for (const name of ['CHATENV_CHAT_RPC_ADMIN_SECRET', 'CHATENV_CHAT_RPC_CHAT_VERIFYCODE_SUPERCODE', 'CHATENV_CHAT_RPC_CHAT_LIVEKIT_SECRET']) {
        expect(Object.keys(generated)).toContain(secretIdOf(chat, name));
      }
    });

    it('uses one generated Redis password for the container, OpenIM and chat', () => {
      const redis = secretIdOf(container(local, 'redis'), 'REDIS_PASSWORD');
      expect(local.toJSON().Resources[redis]?.Properties.GenerateSecretString).toBeDefined();
      expect(secretIdOf(container(local, 'openim-server'), 'IMENV_REDIS_PASSWORD')).toBe(redis);
      expect(secretIdOf(container(local, 'openim-chat'), 'CHATENV_REDIS_PASSWORD')).toBe(redis);
    });

    it('makes the generated Redis password ElastiCache\'s AUTH token when managed, with TLS preferred so OpenIM\'s plain client can connect', () => {
      const redis = secretIdOf(container(managed, 'openim-server'), 'IMENV_REDIS_PASSWORD');
      expect(managed.toJSON().Resources[redis]?.Properties.GenerateSecretString).toBeDefined();
      expect(secretIdOf(container(managed, 'openim-chat'), 'CHATENV_REDIS_PASSWORD')).toBe(redis);
      managed.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        TransitEncryptionEnabled: true,
        TransitEncryptionMode: 'preferred',
        AuthToken: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: redis }, ':SecretString:::}}']] },
      });
    });
  });

  describe('Admin secrets (OpenimAdminSecrets)', () => {
    it('stores chat\'s admin login as {account, password}, both the generated account (chat sets MD5(account) as its password)', () => {
      const stack = new Stack(appWithoutBundling(), 'Secrets');
      new OpenimAdminSecrets(stack, 'AdminSecrets', { prefix: 'p' });
      const template = Template.fromStack(stack);
      const account = Object.keys(template.findResources('AWS::SecretsManager::Secret', { Properties: { Name: 'p/openim/chat-admin-account' } }))[0];
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: 'p/openim/chat-admin',
        SecretString: {
          'Fn::Join': ['', ['{"account":"{{resolve:secretsmanager:', { Ref: account }, ':SecretString:::}}","password":"{{resolve:secretsmanager:', { Ref: account }, ':SecretString:::}}"}']],
        },
      });
      template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'p/openim/share-secret', GenerateSecretString: Match.objectLike({ PasswordLength: 32 }) });
    });
  });

  describe('MongoDB', () => {
    it('runs MongoDB as a container with a generated root password by default, addressed without a URI', () => {
      const server = container(local, 'openim-server');
      expect(environmentOf(server)).toMatchObject({ IMENV_MONGODB_ADDRESS: 'localhost:27017', IMENV_MONGODB_USERNAME: 'root' });
      expect(secretIdOf(server, 'IMENV_MONGODB_PASSWORD')).toBe(secretIdOf(container(local, 'mongo'), 'MONGO_INITDB_ROOT_PASSWORD'));
      expect(commandOf(server)).not.toContain('MONGODB_URI');
    });

    it.each([
      { case: 'openim-server', name: 'openim-server', envVar: 'IMENV_MONGODB_URI' },
      { case: 'openim-chat', name: 'openim-chat', envVar: 'CHATENV_MONGODB_URI' },
    ])('gives $case a DocumentDB URI without retryable writes and with TLS checked against the RDS CA bundle', ({ name, envVar }) => {
      const cluster = logicalIdOf(managed, 'AWS::DocDB::DBCluster');
      const c = container(managed, name);
      const command = commandOf(c);
      expect(command).toContain(`export ${envVar}="mongodb://openim:$MONGO_PASSWORD@\${${cluster}.Endpoint}:\${${cluster}.Port}/openim_v3?`);
      const query = new URLSearchParams(command.match(new RegExp(`${envVar}="[^"?]+\\?([^"]+)"`))?.[1]);
      expect(Object.fromEntries(query)).toEqual({ tls: 'true', replicaSet: 'rs0', retryWrites: 'false', authSource: 'admin', tlsCAFile: '/rds-ca/global-bundle.pem' });
      expect(JSON.stringify(secretsOf(c).MONGO_PASSWORD)).toContain(':password::');
      expect(c.MountPoints).toEqual([{ ContainerPath: '/rds-ca', SourceVolume: 'rds-ca', ReadOnly: true }]);
      expect(c.DependsOn).toEqual(expect.arrayContaining([{ ContainerName: 'rds-ca', Condition: 'SUCCESS' }]));
    });

    it('fetches the RDS CA bundle in a non-essential container from ECR Public, into the shared volume', () => {
      const fetcher = container(managed, 'rds-ca');
      expect(fetcher.Essential).toBe(false);
      expect(fetcher.Image).toMatch(/^public\.ecr\.aws\//);
      expect(commandOf(fetcher)).toBe('curl -fsS --retry 5 -o /rds-ca/global-bundle.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem');
    });

    it('requires TLS on DocumentDB and generates an alphanumeric master password (it is spliced into the URI)', () => {
      managed.hasResourceProperties('AWS::DocDB::DBClusterParameterGroup', { Parameters: { tls: 'enabled', audit_logs: 'enabled' } });
      const docDbSecret = Object.values(managed.findResources('AWS::SecretsManager::Secret', { Properties: { GenerateSecretString: { GenerateStringKey: 'password' } } }))[0];
      const excluded = docDbSecret?.Properties.GenerateSecretString.ExcludeCharacters as string;
      const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
      expect(printable.filter((char) => !excluded.includes(char)).join('')).toMatch(/^[0-9A-Za-z]+$/);
    });
  });

  describe('Kafka', () => {
    it('fits the single container broker: every replication factor 1', () => {
      expect(environmentOf(container(local, 'kafka'))).toMatchObject({
        KAFKA_CFG_AUTO_CREATE_TOPICS_ENABLE: 'true',
        KAFKA_CFG_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_CFG_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_CFG_DEFAULT_REPLICATION_FACTOR: '1',
      });
      expect(environmentOf(container(local, 'openim-server')).IMENV_KAFKA_ADDRESS).toBe('localhost:9092');
    });

    it('runs one MSK broker per private subnet, TLS to clients and between brokers, with broker logs', () => {
      managed.hasResourceProperties('AWS::MSK::Cluster', {
        NumberOfBrokerNodes: 2,
        EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
        LoggingInfo: { BrokerLogs: { CloudWatchLogs: { Enabled: true } } },
      });
    });

    it('creates OpenIM\'s topics and Kafka\'s own on MSK with the 2 brokers there are (Kafka\'s default of 3 would stop the consumers)', () => {
      const properties = Object.values(managed.findResources('AWS::MSK::Configuration'))[0]?.Properties.ServerProperties as string;
      expect(properties.split('\n')).toEqual(
        expect.arrayContaining([
          'auto.create.topics.enable=true',
          'default.replication.factor=2',
          'offsets.topic.replication.factor=2',
          'transaction.state.log.replication.factor=2',
          'transaction.state.log.min.isr=1',
          'min.insync.replicas=1',
        ]),
      );
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

    it('throws at synth when dependencies are managed and the VPC has private subnets in one AZ only', () => {
      expect(() => buildOpenim({ dependencies: 'managed', vpcProps: { maxAzs: 1 } })).toThrow(/at least 2/);
    });
  });

  describe('Object storage', () => {
    it.each([
      { case: 'containers', dependencies: 'containers' },
      { case: 'managed', dependencies: 'managed' },
    ] as const)('stores objects in S3 through OpenIM\'s aws driver, with no MinIO ($case)', ({ dependencies }) => {
      const template = dependencies === 'managed' ? managed : local;
      const server = container(template, 'openim-server');
      const environment = environmentOf(server);
      expect(environment.IMENV_OPENIM_RPC_THIRD_OBJECT_ENABLE).toBe('aws');
      expect(environment.IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_BUCKET).toEqual({ Ref: objectBucketOf(template) });
      expect(environment.IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_REGION).toEqual({ Ref: 'AWS::Region' });
      expect(Object.keys(secretsOf(server))).toEqual(
        expect.arrayContaining(['IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_ACCESSKEYID', 'IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_SECRETACCESSKEY']),
      );
      expect(Object.keys(environment).filter((name) => name.startsWith('IMENV_MINIO_'))).toEqual([]);
      expect(containers(template).map((c) => c.Name)).not.toContain('minio');
    });

    it('keeps the bucket encrypted, private, TLS-only, logged and retained', () => {
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

    it('lets the object user act on its bucket\'s objects and list the bucket (so a missing key answers 404, not 403), nothing else', () => {
      const bucket = objectBucketOf(local);
      const user = logicalIdOf(local, 'AWS::IAM::User');
      const policies = Object.values(local.findResources('AWS::IAM::Policy', { Properties: { Users: [{ Ref: user }] } }));
      const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Effect: string; Action: string | string[]; Resource: unknown }[]);
      const byResource = statements.map((s) => ({ effect: s.Effect, actions: [s.Action].flat().sort(), resource: s.Resource }));
      expect(byResource).toEqual([
        { effect: 'Allow', actions: [...OBJECT_ACTIONS].sort(), resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] } },
        { effect: 'Allow', actions: [...BUCKET_ACTIONS], resource: { 'Fn::GetAtt': [bucket, 'Arn'] } },
      ]);
      expect(BUCKET_ACTIONS).toEqual(['s3:ListBucket']);
    });
  });

  describe('Dependencies and service', () => {
    it('runs MongoDB, Redis, etcd and Kafka as containers by default, and only etcd (plus the CA fetcher) when managed', () => {
      expect(containers(local).map((c) => c.Name).sort()).toEqual(['etcd', 'kafka', 'mongo', 'openim-chat', 'openim-server', 'redis']);
      expect(containers(managed).map((c) => c.Name).sort()).toEqual(['etcd', 'openim-chat', 'openim-server', 'rds-ca']);
      managed.resourceCountIs('AWS::DocDB::DBCluster', 1);
      managed.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
      managed.resourceCountIs('AWS::MSK::Cluster', 1);
      local.resourceCountIs('AWS::MSK::Cluster', 0);
    });

    it('runs the service in private subnets without a public IP', () => {
      local.hasResourceProperties('AWS::ECS::Service', {
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
      });
    });

    it('registers with no load balancer when none is given', () => {
      const service = Object.values(local.findResources('AWS::ECS::Service'))[0];
      // Absent or empty: either registers nothing (the ECS feature flags decide which CDK writes).
      expect(service?.Properties.LoadBalancers ?? []).toEqual([]);
      expect(service?.Properties.HealthCheckGracePeriodSeconds).toBeUndefined();
    });

    it('registers openim-server:10002 and openim-chat:10009 with the admin load balancer\'s target groups, using the network stack\'s admin secrets', () => {
      const app = appWithoutBundling();
      const network = new NetworkStack(app, 'Network', { logRetention: LOG_RETENTION, openimAdminApi: true, prefix: 'openim-hooks-test' });
      const callbackSecret = new secretsmanager.Secret(new Stack(app, 'Shared'), 'CallbackSecret');
      const admin = network.openimAdmin;
      if (!admin) throw new Error('no admin load balancer');
      const template = Template.fromStack(
        new OpenimStack(app, 'Openim', {
          prefix: 'openim-hooks-test',
          vpc: network.vpc,
          callbackBaseUrl: 'https://api.example.com/test/openim/',
          callbackSecret,
          adminSecrets: admin.secrets,
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
      expect(admin.secrets.shareSecretName).toBe('openim-hooks-test/openim/share-secret');
      expect(JSON.stringify(secretsOf(container(template, 'openim-server')).IMENV_SHARE_SECRET)).toMatch(/Network:ExportsOutputRefOpenimAdminSecretsShare/);
    });
  });
});
