/**
 * OpenIM itself on ECS Fargate, in the VPC of the callbacks API, with its webhooks pointed at
 * that API: the callbacks of the printed webhooks.yml (IMENV_WEBHOOKS_* from webhookSettings) and the URL
 * `<callbackBaseUrl><secret>` composed at container start from the Secrets Manager secret, so
 * the secret never appears in the task definition. One task runs OpenIM and its dependencies
 * (they talk over localhost); with `dependencies: 'managed'`, MongoDB, Redis, Kafka and MinIO
 * are DocumentDB, ElastiCache, MSK and S3 instead (etcd stays a container). Synth-checked only;
 * see infra/README.md "OpenIM on ECS" for limits.
 */
import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { OpenimDependencies, OpenimVersion } from '../config/stage-config.ts';
import { DEPENDENCY_IMAGES, OPENIM_IMAGES } from '../openim/images.ts';
import { WEBHOOKS_URL_ENV, webhooksEnvironment } from '../openim/webhooks-environment.ts';
import { DEFAULT_ADMIN_USER_ID } from '#shared/openim/admin/admin-config.ts';

export interface OpenimStackProps extends StackProps {
  readonly prefix: string;
  readonly vpc: ec2.IVpc;
  /** `https://.../openim/` from the callbacks API stack. */
  readonly callbackBaseUrl: string;
  readonly callbackSecret: secretsmanager.ISecret;
  /** @default 'containers' */
  readonly dependencies?: OpenimDependencies;
  /** @default 'v3.8.3' */
  readonly version?: OpenimVersion;
  readonly serverImage?: string | undefined;
  readonly chatImage?: string | undefined;
  readonly logRetention: logs.RetentionDays;
  /**
   * Target groups of the internal load balancer (network stack) to register the task's admin
   * ports with: OpenIM's API (10002) and the chat admin API (10009). @default undefined (none)
   */
  readonly adminTargetGroups?: { readonly api: elbv2.INetworkTargetGroup; readonly chatAdmin: elbv2.INetworkTargetGroup } | undefined;
}

const PORTS = { mongo: 27017, redis: 6379, etcd: 2379, kafka: 9092, mskTls: 9094, minio: 9000, api: 10002, gateway: 10001, chatApi: 10008, adminApi: 10009 } as const;

/** What openim-server needs to reach one store: plain settings and ECS secrets. */
interface StoreSettings {
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, ecs.Secret>;
}

/** The Kafka version of the container image, so both modes run the same broker version. */
const MSK_KAFKA_VERSION = '3.5.1';

/** Construct ID of the Lambda that CDK shares among a stack's AwsCustomResources. */
const AWS_CUSTOM_RESOURCE_SINGLETON = 'AWS679f53fac002430cb0da5b7982bd2287';

/** Passwords generated for URL-safe use inside connection strings and shell commands. */
const URL_SAFE = { excludePunctuation: true, includeSpace: false, passwordLength: 32 } as const;

/**
 * OpenIM's admin users, with the one the moderation Lambdas act as (OPENIM_ADMIN_USER_ID) beside
 * OpenIM's own imAdmin, so that fetching its token never demotes the tokens of OpenIM chat's admin.
 * v3.8.3 reads `share.yml imAdminUserID`, main `imAdminUser.userIDs` and `.nicknames`; each version
 * ignores the other's variables. Lists are comma-separated, as viper splits environment strings.
 */
function adminUsersEnvironment(): Record<string, string> {
  const users = ['imAdmin', DEFAULT_ADMIN_USER_ID].join(',');
  return { IMENV_SHARE_IMADMINUSERID: users, IMENV_SHARE_IMADMINUSER_USERIDS: users, IMENV_SHARE_IMADMINUSER_NICKNAMES: users };
}

export class OpenimStack extends Stack {
  public readonly cluster: ecs.Cluster;
  public readonly service: ecs.FargateService;
  public readonly taskSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: OpenimStackProps) {
    super(scope, id, props);
    const dependencies = props.dependencies ?? 'containers';
    const images = OPENIM_IMAGES[props.version ?? 'v3.8.3'];
    const serverImage = props.serverImage ?? images.server;
    if (!serverImage) throw new Error('OpenIM main has no published image: set serverImage (-c openimServerImage=...)');

    // 1. Credentials OpenIM shares with its dependencies, generated, injected as ECS secrets.
    const secret = (name: string) =>
      new secretsmanager.Secret(this, `${name}Secret`, {
        secretName: `${props.prefix}/openim/${name}`,
        generateSecretString: URL_SAFE,
      });
    const openimSecret = secret('share');
    // Managed mode stores objects in S3 (see objectStorage()), so MinIO's password exists only for the container.
    const minioSecret = dependencies === 'containers' ? secret('minio') : undefined;
    // Managed Redis has no password (see elastiCache()), so the secret exists only for the container.
    const redisSecret = dependencies === 'containers' ? secret('redis') : undefined;
    const mongoSecret = secret('mongo');

    // 2. Cluster and task.
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      clusterName: `${props.prefix}-openim`,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.taskSecurityGroup = new ec2.SecurityGroup(this, 'TaskSg', {
      vpc: props.vpc,
      description: 'OpenIM task: client ports from inside the VPC',
    });
    for (const port of [PORTS.gateway, PORTS.api, PORTS.chatApi, PORTS.adminApi]) {
      this.taskSecurityGroup.addIngressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(port), `OpenIM port ${port}`);
    }
    NagSuppressions.addResourceSuppressions(this.taskSecurityGroup, [
      {
        id: 'CdkNagValidationFailure',
        reason: 'AwsSolutions-EC23 cannot resolve the VPC CIDR token; every ingress rule admits the VPC\'s own CIDR only, never 0.0.0.0/0.',
      },
    ]);
    const task = new ecs.FargateTaskDefinition(this, 'Task', {
      family: `${props.prefix}-openim`,
      cpu: 4096,
      memoryLimitMiB: 16384,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    const logging = (streamPrefix: string) =>
      ecs.LogDrivers.awsLogs({ streamPrefix, mode: ecs.AwsLogDriverMode.NON_BLOCKING, logRetention: props.logRetention });

    // 3. Dependencies: managed services where chosen, containers otherwise (etcd is always a
    //    container; see the README for why).
    const mongo = dependencies === 'managed' ? this.documentDb(props) : undefined;
    const redisAddress = dependencies === 'managed' ? this.elastiCache(props) : `localhost:${PORTS.redis}`;
    const kafka: StoreSettings =
      dependencies === 'managed'
        ? this.mskCluster(props)
        : { environment: { IMENV_KAFKA_ADDRESS: `localhost:${PORTS.kafka}` }, secrets: {} };
    const objectStorage: StoreSettings = minioSecret
      ? {
          environment: { IMENV_MINIO_INTERNALADDRESS: `localhost:${PORTS.minio}`, IMENV_MINIO_ACCESSKEYID: 'openim' },
          secrets: { IMENV_MINIO_SECRETACCESSKEY: ecs.Secret.fromSecretsManager(minioSecret) },
        }
      : this.objectStorage(props);
    const dependencyContainers: ecs.ContainerDefinition[] = [];
    if (!mongo) {
      dependencyContainers.push(
        task.addContainer('mongo', {
          image: ecs.ContainerImage.fromRegistry(DEPENDENCY_IMAGES.mongo),
          essential: true,
          environment: { MONGO_INITDB_ROOT_USERNAME: 'root', MONGO_INITDB_DATABASE: 'openim_v3' },
          secrets: { MONGO_INITDB_ROOT_PASSWORD: ecs.Secret.fromSecretsManager(mongoSecret) },
          logging: logging('mongo'),
        }),
      );
    }
    if (redisSecret) {
      dependencyContainers.push(
        task.addContainer('redis', {
          image: ecs.ContainerImage.fromRegistry(DEPENDENCY_IMAGES.redis),
          essential: true,
          entryPoint: ['sh', '-c'],
          command: ['exec redis-server --requirepass "$REDIS_PASSWORD" --appendonly yes'],
          secrets: { REDIS_PASSWORD: ecs.Secret.fromSecretsManager(redisSecret) },
          logging: logging('redis'),
        }),
      );
    }
    dependencyContainers.push(
      task.addContainer('etcd', {
        image: ecs.ContainerImage.fromRegistry(DEPENDENCY_IMAGES.etcd),
        essential: true,
        environment: {
          ALLOW_NONE_AUTHENTICATION: 'yes',
          ETCD_LISTEN_CLIENT_URLS: `http://0.0.0.0:${PORTS.etcd}`,
          ETCD_ADVERTISE_CLIENT_URLS: `http://localhost:${PORTS.etcd}`,
        },
        logging: logging('etcd'),
      }),
    );
    if (dependencies === 'containers') {
      dependencyContainers.push(
        task.addContainer('kafka', {
          image: ecs.ContainerImage.fromRegistry(DEPENDENCY_IMAGES.kafka),
          essential: true,
          environment: {
            KAFKA_CFG_NODE_ID: '0',
            KAFKA_CFG_PROCESS_ROLES: 'controller,broker',
            KAFKA_CFG_CONTROLLER_QUORUM_VOTERS: '0@localhost:9093',
            KAFKA_CFG_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
            KAFKA_CFG_LISTENERS: `PLAINTEXT://:${PORTS.kafka},CONTROLLER://:9093`,
            KAFKA_CFG_ADVERTISED_LISTENERS: `PLAINTEXT://localhost:${PORTS.kafka}`,
            KAFKA_CFG_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
            KAFKA_CFG_AUTO_CREATE_TOPICS_ENABLE: 'true',
            KAFKA_NUM_PARTITIONS: '8',
          },
          logging: logging('kafka'),
        }),
      );
    }
    if (minioSecret) {
      dependencyContainers.push(
        task.addContainer('minio', {
          image: ecs.ContainerImage.fromRegistry(DEPENDENCY_IMAGES.minio),
          essential: true,
          command: ['server', '/data', '--console-address', ':9090'],
          environment: { MINIO_ROOT_USER: 'openim' },
          secrets: { MINIO_ROOT_PASSWORD: ecs.Secret.fromSecretsManager(minioSecret) },
          logging: logging('minio'),
        }),
      );
    }

    // 4. openim-server: config from IMENV_* variables; the webhook URL is composed at start
    //    from the secret so that it never appears in the task definition.
    const mongoEnvironment = mongo
      ? { IMENV_MONGODB_ADDRESS: `${mongo.clusterEndpoint.hostname}:${mongo.clusterEndpoint.port}`, IMENV_MONGODB_USERNAME: 'openim', IMENV_MONGODB_AUTHSOURCE: 'admin' }
      : { IMENV_MONGODB_ADDRESS: `localhost:${PORTS.mongo}`, IMENV_MONGODB_USERNAME: 'root', IMENV_MONGODB_AUTHSOURCE: 'admin' };
    const mongoPassword = mongo?.secret
      ? ecs.Secret.fromSecretsManager(mongo.secret, 'password')
      : ecs.Secret.fromSecretsManager(mongoSecret);
    const server = task.addContainer('openim-server', {
      image: ecs.ContainerImage.fromRegistry(serverImage),
      essential: true,
      entryPoint: ['sh', '-c'],
      command: [`export ${WEBHOOKS_URL_ENV}="$WEBHOOKS_BASE_URL$CALLBACK_SECRET" && ${images.serverStart}`],
      environment: {
        WEBHOOKS_BASE_URL: props.callbackBaseUrl,
        ...webhooksEnvironment(),
        ...mongoEnvironment,
        IMENV_MONGODB_DATABASE: 'openim_v3',
        IMENV_REDIS_ADDRESS: redisAddress,
        ...kafka.environment,
        IMENV_DISCOVERY_ETCD_ADDRESS: `localhost:${PORTS.etcd}`,
        ...objectStorage.environment,
        IMENV_LOG_ISSTDOUT: 'true',
        IMENV_LOG_REMAINLOGLEVEL: '3',
        ...adminUsersEnvironment(),
      },
      secrets: {
        CALLBACK_SECRET: ecs.Secret.fromSecretsManager(props.callbackSecret),
        IMENV_SHARE_SECRET: ecs.Secret.fromSecretsManager(openimSecret),
        ...kafka.secrets,
        ...objectStorage.secrets,
        IMENV_MONGODB_PASSWORD: mongoPassword,
        ...(redisSecret ? { IMENV_REDIS_PASSWORD: ecs.Secret.fromSecretsManager(redisSecret) } : {}),
      },
      portMappings: [{ containerPort: PORTS.gateway }, { containerPort: PORTS.api }],
      healthCheck: { command: ['CMD-SHELL', 'mage check'], interval: Duration.seconds(30), timeout: Duration.seconds(20), retries: 10, startPeriod: Duration.seconds(180) },
      logging: logging('openim-server'),
    });
    for (const dependency of dependencyContainers) {
      server.addContainerDependencies({ container: dependency, condition: ecs.ContainerDependencyCondition.START });
    }

    // 5. openim-chat: the same stores, and OpenIM's API on localhost.
    const chat = task.addContainer('openim-chat', {
      image: ecs.ContainerImage.fromRegistry(props.chatImage ?? images.chat),
      essential: true,
      environment: {
        CHATENV_MONGODB_ADDRESS: mongoEnvironment.IMENV_MONGODB_ADDRESS,
        CHATENV_MONGODB_USERNAME: mongoEnvironment.IMENV_MONGODB_USERNAME,
        CHATENV_MONGODB_AUTHSOURCE: 'admin',
        CHATENV_REDIS_ADDRESS: redisAddress,
        CHATENV_DISCOVERY_ETCD_ADDRESS: `localhost:${PORTS.etcd}`,
        CHATENV_SHARE_OPENIM_APIURL: `http://localhost:${PORTS.api}`,
        CHATENV_LOG_ISSTDOUT: 'true',
        CHATENV_LOG_REMAINLOGLEVEL: '3',
      },
      secrets: {
        CHATENV_SHARE_OPENIM_SECRET: ecs.Secret.fromSecretsManager(openimSecret),
        CHATENV_MONGODB_PASSWORD: mongoPassword,
        ...(redisSecret ? { CHATENV_REDIS_PASSWORD: ecs.Secret.fromSecretsManager(redisSecret) } : {}),
      },
      portMappings: [{ containerPort: PORTS.chatApi }, { containerPort: PORTS.adminApi }],
      logging: logging('openim-chat'),
    });
    chat.addContainerDependencies({ container: server, condition: ecs.ContainerDependencyCondition.HEALTHY });

    // 6. The service: one task (OpenIM's stateful dependencies run beside it), private subnets.
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      serviceName: `${props.prefix}-openim`,
      taskDefinition: task,
      desiredCount: 1,
      // One stateful task: stop the old one before starting the new one.
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      securityGroups: [this.taskSecurityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      circuitBreaker: { rollback: true },
      // OpenIM passes `mage check` only after about three minutes (the container's startPeriod).
      ...(props.adminTargetGroups ? { healthCheckGracePeriod: Duration.seconds(300) } : {}),
    });
    if (props.adminTargetGroups) {
      props.adminTargetGroups.api.addTarget(this.service.loadBalancerTarget({ containerName: 'openim-server', containerPort: PORTS.api }));
      props.adminTargetGroups.chatAdmin.addTarget(this.service.loadBalancerTarget({ containerName: 'openim-chat', containerPort: PORTS.adminApi }));
    }
    new CfnOutput(this, 'ClusterName', { value: this.cluster.clusterName });

    NagSuppressions.addResourceSuppressions(
      task,
      [
        {
          id: 'AwsSolutions-ECS2',
          reason: 'The inline variables are non-secret OpenIM settings (addresses, webhook switches); every password and the callback secret come from Secrets Manager through `secrets`.',
        },
        {
          id: 'AwsSolutions-IAM5',
          reason: 'CDK\'s grant for the awslogs driver and ECR pulls; logs:CreateLogStream/PutLogEvents are scoped to this task\'s log groups.',
        },
      ],
      true,
    );
    for (const s of [openimSecret, mongoSecret, ...(minioSecret ? [minioSecret] : []), ...(redisSecret ? [redisSecret] : [])]) {
      NagSuppressions.addResourceSuppressions(s, [
        {
          id: 'AwsSolutions-SMG4',
          reason: 'Shared by OpenIM and a dependency that reads it only at start; rotation needs both restarted together, done by redeploying the service.',
        },
      ]);
    }
  }

  /** DocumentDB (MongoDB-compatible) in the private subnets, reachable from the task only. */
  private documentDb(props: OpenimStackProps): docdb.DatabaseCluster {
    const parameterGroup = new docdb.ClusterParameterGroup(this, 'DocDbParameters', {
      family: 'docdb5.0',
      // OpenIM v3.8.3's mongodb.yml has no TLS settings, so the connection is plain inside the VPC.
      parameters: { tls: 'disabled', audit_logs: 'enabled' },
      description: 'OpenIM: TLS off (unsupported by its config), audit logs on',
    });
    const cluster = new docdb.DatabaseCluster(this, 'DocDb', {
      masterUser: { username: 'openim', excludeCharacters: '"@/:?#[]%&=+\\\'`$ ' },
      engineVersion: '5.0.0',
      // Not 27017: port obfuscation against untargeted scans (the address is passed to OpenIM anyway).
      port: 27117,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
      instances: 2,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      parameterGroup,
      storageEncrypted: true,
      deletionProtection: true,
      backup: { retention: Duration.days(7) },
      exportAuditLogsToCloudWatch: true,
      exportProfilerLogsToCloudWatch: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    cluster.connections.allowDefaultPortFrom(this.taskSecurityGroup, 'OpenIM task');
    NagSuppressions.addResourceSuppressions(
      cluster,
      [
        {
          id: 'AwsSolutions-DOC4',
          reason: 'Master password rotation would break OpenIM, which reads the password only at start; rotate by redeploying the service after a manual rotation.',
        },
        {
          id: 'AwsSolutions-SMG4',
          reason: 'See AwsSolutions-DOC4: the password is rotated together with an OpenIM restart.',
        },
        {
          id: 'AwsSolutions-DOC5',
          reason: 'DocumentDB exports only the "audit" and "profiler" log types, and both are exported; the audit log (audit_logs=enabled in the parameter group) records the authenticate, createIndex and dropCollection events this rule names.',
          appliesTo: ['LogExport::authenticate', 'LogExport::createIndex', 'LogExport::dropCollection'],
        },
        {
          id: 'CdkNagValidationFailure',
          reason: 'AwsSolutions-DOC3 cannot resolve the master username, a Secrets Manager dynamic reference; the username is "openim", not a default.',
        },
      ],
      true,
    );
    return cluster;
  }

  /** ElastiCache for Redis, without TLS or AUTH: OpenIM v3.8.3's redis.yml supports neither TLS nor a CA. */
  private elastiCache(props: OpenimStackProps): string {
    const securityGroup = new ec2.SecurityGroup(this, 'RedisSg', { vpc: props.vpc, description: 'Redis from the OpenIM task' });
    securityGroup.addIngressRule(this.taskSecurityGroup, ec2.Port.tcp(PORTS.redis), 'OpenIM task');
    const subnets = new elasticache.CfnSubnetGroup(this, 'RedisSubnets', {
      description: 'OpenIM Redis',
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
    });
    const redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'OpenIM cache and sequence store',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: 'cache.r7g.large',
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      atRestEncryptionEnabled: true,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [securityGroup.securityGroupId],
      snapshotRetentionLimit: 7,
    });
    NagSuppressions.addResourceSuppressions(redis, [
      {
        id: 'AwsSolutions-AEC5',
        reason: 'OpenIM and openim-chat address Redis on 6379 in their shipped configs; the security group admits only the OpenIM task.',
      },
      {
        id: 'AwsSolutions-AEC3',
        reason: 'Encryption at rest is on; in-transit encryption is off because OpenIM v3.8.3\'s redis.yml has no TLS settings. Traffic stays in private subnets between the OpenIM task and Redis.',
      },
      {
        id: 'AwsSolutions-AEC6',
        reason: 'AUTH tokens require in-transit encryption, which OpenIM v3.8.3\'s Redis client config cannot use; access is confined to the OpenIM task\'s security group.',
      },
    ]);
    return `${redis.attrPrimaryEndPointAddress}:${redis.attrPrimaryEndPointPort}`;
  }

  /**
   * Amazon MSK for OpenIM's Kafka. OpenIM v3.8.3 (kafka.yml, pkg/common/storage/kafka/sarama.go)
   * has a TLS switch (`tls.enableTLS`; system CAs when `tls.caCrt` is empty) and a SASL
   * username/password, but it never sets sarama's SASL mechanism, so SASL would be PLAIN, which
   * MSK does not offer (only SCRAM-SHA-512, IAM and mTLS). Clients therefore connect over TLS
   * without SASL, and only the OpenIM task's security group reaches the brokers.
   */
  private mskCluster(props: OpenimStackProps): StoreSettings {
    const subnets = props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, onePerAz: true });
    const brokerCount = subnets.subnetIds.length;
    if (brokerCount < 2) throw new Error('openimDependencies=managed needs private subnets in at least 2 AZs for Amazon MSK');
    const replication = Math.min(brokerCount, 3);
    const securityGroup = new ec2.SecurityGroup(this, 'KafkaSg', { vpc: props.vpc, description: 'MSK brokers from the OpenIM task' });
    securityGroup.addIngressRule(this.taskSecurityGroup, ec2.Port.tcp(PORTS.mskTls), 'OpenIM task, Kafka over TLS');
    // OpenIM never creates its topics; like the container (KAFKA_CFG_AUTO_CREATE_TOPICS_ENABLE)
    // the brokers create them on first use, replicated across the brokers there are.
    const configuration = new msk.CfnConfiguration(this, 'KafkaConfiguration', {
      name: `${props.prefix}-openim`,
      description: 'OpenIM: topics created on first use',
      kafkaVersionsList: [MSK_KAFKA_VERSION],
      serverProperties: [
        'auto.create.topics.enable=true',
        'num.partitions=8',
        `default.replication.factor=${replication}`,
        `min.insync.replicas=${replication - 1}`,
      ].join('\n'),
    });
    const brokerLogs = new logs.LogGroup(this, 'KafkaBrokerLogs', { retention: props.logRetention });
    const cluster = new msk.CfnCluster(this, 'Kafka', {
      clusterName: `${props.prefix}-openim`,
      kafkaVersion: MSK_KAFKA_VERSION,
      numberOfBrokerNodes: brokerCount,
      brokerNodeGroupInfo: {
        instanceType: 'kafka.m5.large',
        clientSubnets: subnets.subnetIds,
        securityGroups: [securityGroup.securityGroupId],
        storageInfo: { ebsStorageInfo: { volumeSize: 100 } },
      },
      clientAuthentication: { unauthenticated: { enabled: true } },
      encryptionInfo: { encryptionInTransit: { clientBroker: 'TLS', inCluster: true } },
      configurationInfo: { arn: configuration.attrArn, revision: configuration.attrLatestRevisionRevision },
      loggingInfo: { brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: brokerLogs.logGroupName } } },
      enhancedMonitoring: 'PER_BROKER',
    });
    // The bootstrap brokers are no CloudFormation attribute: read them at deploy time, again
    // whenever the cluster is replaced (its ARN is the physical ID).
    const bootstrap = new cr.AwsCustomResource(this, 'KafkaBootstrapBrokers', {
      onUpdate: {
        service: 'Kafka',
        action: 'getBootstrapBrokers',
        parameters: { ClusterArn: cluster.attrArn },
        physicalResourceId: cr.PhysicalResourceId.of(cluster.attrArn),
        outputPaths: ['BootstrapBrokerStringTls'],
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['kafka:GetBootstrapBrokers'], resources: [cluster.attrArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    NagSuppressions.addResourceSuppressionsByPath(
      this,
      `${this.node.path}/${AWS_CUSTOM_RESOURCE_SINGLETON}`,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason: 'CDK\'s AwsCustomResource provider uses AWSLambdaBasicExecutionRole, which only allows writing its own logs; its one API call (kafka:GetBootstrapBrokers) is granted on this cluster\'s ARN only.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
      ],
      true,
    );
    return {
      // A comma-separated list, which OpenIM's viper loader splits into kafka.yml's `address`.
      environment: { IMENV_KAFKA_ADDRESS: bootstrap.getResponseField('BootstrapBrokerStringTls'), IMENV_KAFKA_TLS_ENABLETLS: 'true' },
      secrets: {},
    };
  }

  /**
   * Amazon S3 for OpenIM's objects (`object.enable: aws` in openim-rpc-third.yml). OpenIM's aws
   * driver (openimsdk/tools s3/aws) builds a static credentials provider from `accessKeyID` and
   * `secretAccessKey` and never uses the task role, so it needs an access key: a dedicated IAM
   * user limited to this bucket's objects, whose key lives in Secrets Manager and reaches the
   * task as ECS secrets.
   */
  private objectStorage(props: OpenimStackProps): StoreSettings {
    const bucketDefaults = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;
    const accessLogs = new s3.Bucket(this, 'ObjectAccessLogs', bucketDefaults);
    const bucket = new s3.Bucket(this, 'Objects', { ...bucketDefaults, serverAccessLogsBucket: accessLogs, serverAccessLogsPrefix: 'objects/' });
    const user = new iam.User(this, 'ObjectUser');
    user.addToPolicy(
      new iam.PolicyStatement({
        // What the driver does: put, get/head, copy and delete objects, multipart uploads, and
        // presigned URLs for clients, which act with these same permissions.
        actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    NagSuppressions.addResourceSuppressions(
      user,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'OpenIM names objects at run time (uploads by clients), so the user gets object actions on every key of its one bucket, and nothing else.',
          appliesTo: [{ regex: '/^Resource::<Objects[0-9A-F]+\\.Arn>\\/\\*$/g' }],
        },
      ],
      true,
    );
    const accessKey = new iam.AccessKey(this, 'ObjectUserKey', { user });
    const keySecret = new secretsmanager.Secret(this, 'ObjectUserKeySecret', {
      secretName: `${props.prefix}/openim/s3-access-key`,
      description: 'Access key of the IAM user through which OpenIM reaches its S3 bucket',
      secretObjectValue: {
        accessKeyId: SecretValue.unsafePlainText(accessKey.accessKeyId),
        secretAccessKey: accessKey.secretAccessKey,
      },
    });
    NagSuppressions.addResourceSuppressions(keySecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason: 'The value is an IAM access key that OpenIM reads only at start; rotate by replacing the AccessKey resource and redeploying the service.',
      },
    ]);
    return {
      environment: {
        IMENV_OPENIM_RPC_THIRD_OBJECT_ENABLE: 'aws',
        IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_REGION: this.region,
        IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_BUCKET: bucket.bucketName,
      },
      secrets: {
        IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_ACCESSKEYID: ecs.Secret.fromSecretsManager(keySecret, 'accessKeyId'),
        IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_SECRETACCESSKEY: ecs.Secret.fromSecretsManager(keySecret, 'secretAccessKey'),
      },
    };
  }
}
