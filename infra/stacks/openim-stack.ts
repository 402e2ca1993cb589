/**
 * OpenIM itself on ECS Fargate, in the VPC of the callbacks API, with its webhooks pointed at
 * that API: the callbacks of the printed webhooks.yml (IMENV_WEBHOOKS_* from webhookSettings) and the URL
 * `<callbackBaseUrl><secret>` composed at container start from the Secrets Manager secret, so
 * the secret never appears in the task definition. One task runs OpenIM and chat beside their
 * dependencies (they talk over localhost); with `dependencies: 'managed'`, MongoDB, Redis and Kafka
 * are DocumentDB, ElastiCache and MSK instead (etcd stays a container). Objects go to S3 in both
 * modes. Every credential is generated (infra/openim/secrets.ts). Synth-checked only; see
 * infra/README.md "OpenIM on ECS" for limits.
 */
import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { OpenimDependencies, OpenimVersion } from '../config/stage-config.ts';
import { adminUsersEnvironment } from '../openim/admin-users-environment.ts';
import { DOCUMENTDB_USERNAME, documentDb } from '../openim/document-db.ts';
import { elastiCache } from '../openim/elasticache.ts';
import { ImageSource, isDigestPinned, type ImageSourceProps } from '../openim/image-source.ts';
import { CA_FETCHER_IMAGE, CHAT_START, DEPENDENCY_IMAGES, OPENIM_IMAGES } from '../openim/images.ts';
import { kafkaContainerEnvironment } from '../openim/kafka-settings.ts';
import { exportDocumentDbUri } from '../openim/mongo-uri.ts';
import { mskKafka } from '../openim/msk-kafka.ts';
import { objectStorage } from '../openim/object-storage.ts';
import { generatedSecret, type OpenimAdminSecrets } from '../openim/secrets.ts';
import { PORTS, type StoreSettings } from '../openim/store-settings.ts';
import { WEBHOOKS_URL_ENV, webhooksEnvironment } from '../openim/webhooks-environment.ts';

export interface OpenimStackProps extends StackProps {
  readonly prefix: string;
  readonly vpc: ec2.IVpc;
  /** `https://.../openim/` from the callbacks API stack. */
  readonly callbackBaseUrl: string;
  readonly callbackSecret: secretsmanager.ISecret;
  /** OpenIM's share secret and chat's admin account, which the review Lambdas also read (network stack). */
  readonly adminSecrets: OpenimAdminSecrets;
  /** @default 'containers' */
  readonly dependencies?: OpenimDependencies;
  /** @default 'v3.8.3' */
  readonly version?: OpenimVersion;
  readonly serverImage?: string | undefined;
  readonly chatImage?: string | undefined;
  /** A pull-through cache for Docker Hub and digests per repository. @default Docker Hub, tags only */
  readonly images?: ImageSourceProps;
  readonly logRetention: logs.RetentionDays;
  /**
   * Target groups of the internal load balancer (network stack) to register the task's admin
   * ports with: OpenIM's API (10002) and the chat admin API (10009). @default undefined (none)
   */
  readonly adminTargetGroups?: { readonly api: elbv2.INetworkTargetGroup; readonly chatAdmin: elbv2.INetworkTargetGroup } | undefined;
}

const DATABASE = 'openim_v3';

/** Where the CA fetcher puts the RDS CA bundle, shared with OpenIM and chat (managed mode). */
const RDS_CA = { volume: 'rds-ca', directory: '/rds-ca', file: '/rds-ca/global-bundle.pem' } as const;
const RDS_CA_BUNDLE_URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';

/** A `sh -c` command that exports `exports` and then runs the image's own start command. */
function startCommand(exports: readonly string[], start: string): string {
  return [...exports, start].join(' && ');
}

export class OpenimStack extends Stack {
  public readonly cluster: ecs.Cluster;
  public readonly service: ecs.FargateService;
  public readonly taskSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: OpenimStackProps) {
    super(scope, id, props);
    const dependencies = props.dependencies ?? 'containers';
    const version = props.version ?? 'v3.8.3';
    const images = OPENIM_IMAGES[version];
    const serverImage = props.serverImage ?? images.server;
    if (!serverImage) throw new Error('OpenIM main has no published image: set serverImage (-c openimServerImage=...)');
    const imageSource = new ImageSource(props.images);
    const image = (reference: string) => ecs.ContainerImage.fromRegistry(imageSource.reference(reference));

    // 1. Credentials, generated; they reach the containers as ECS secrets.
    const secret = (name: string, description: string) => generatedSecret(this, `${name}Secret`, `${props.prefix}/openim/${name}`, description);
    const redisSecret = secret('redis', 'Redis password (container) or AUTH token (ElastiCache) of OpenIM and chat');
    const mongoSecret = dependencies === 'containers' ? secret('mongo', 'MongoDB root password (container)') : undefined;
    const chatTokenSecret = secret('chat-token-secret', 'chat-rpc-admin.yml secret: signs chat\'s admin and user tokens');
    const chatSuperCode = secret('chat-super-code', 'chat-rpc-chat.yml verifyCode.superCode: accepted as any verification code while no SMS or mail provider is set');
    const chatLiveKitSecret = secret('chat-livekit-secret', 'chat-rpc-chat.yml liveKit.secret: signs LiveKit room tokens');

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
    imageSource.grantPull(task.obtainExecutionRole());
    const logging = (streamPrefix: string) =>
      ecs.LogDrivers.awsLogs({ streamPrefix, mode: ecs.AwsLogDriverMode.NON_BLOCKING, logRetention: props.logRetention });

    // 3. Stores: managed services where chosen, containers otherwise (etcd is always a container,
    //    objects always go to S3; see the README for why).
    const placement = { vpc: props.vpc, taskSecurityGroup: this.taskSecurityGroup };
    const objects = objectStorage(this, { prefix: props.prefix });
    const mongo = dependencies === 'managed' ? documentDb(this, placement) : undefined;
    const redisAddress = dependencies === 'managed' ? elastiCache(this, { ...placement, authToken: redisSecret }) : `localhost:${PORTS.redis}`;
    const kafka: StoreSettings =
      dependencies === 'managed'
        ? mskKafka(this, { ...placement, prefix: props.prefix, logRetention: props.logRetention })
        : { environment: { IMENV_KAFKA_ADDRESS: `localhost:${PORTS.kafka}` }, secrets: {} };

    // 4. Dependency containers, which OpenIM waits for.
    const dependencyContainers: ecs.ContainerDefinition[] = [];
    if (mongoSecret) {
      dependencyContainers.push(
        task.addContainer('mongo', {
          image: image(DEPENDENCY_IMAGES.mongo),
          essential: true,
          environment: { MONGO_INITDB_ROOT_USERNAME: 'root', MONGO_INITDB_DATABASE: DATABASE },
          secrets: { MONGO_INITDB_ROOT_PASSWORD: ecs.Secret.fromSecretsManager(mongoSecret) },
          logging: logging('mongo'),
        }),
      );
    }
    if (dependencies === 'containers') {
      dependencyContainers.push(
        task.addContainer('redis', {
          image: image(DEPENDENCY_IMAGES.redis),
          essential: true,
          entryPoint: ['sh', '-c'],
          command: ['exec redis-server --requirepass "$REDIS_PASSWORD" --appendonly yes'],
          secrets: { REDIS_PASSWORD: ecs.Secret.fromSecretsManager(redisSecret) },
          logging: logging('redis'),
        }),
        task.addContainer('kafka', {
          image: image(DEPENDENCY_IMAGES.kafka),
          essential: true,
          environment: {
            KAFKA_CFG_NODE_ID: '0',
            KAFKA_CFG_PROCESS_ROLES: 'controller,broker',
            KAFKA_CFG_CONTROLLER_QUORUM_VOTERS: '0@localhost:9093',
            KAFKA_CFG_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
            KAFKA_CFG_LISTENERS: `PLAINTEXT://:${PORTS.kafka},CONTROLLER://:9093`,
            KAFKA_CFG_ADVERTISED_LISTENERS: `PLAINTEXT://localhost:${PORTS.kafka}`,
            KAFKA_CFG_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
            ...kafkaContainerEnvironment(),
          },
          logging: logging('kafka'),
        }),
      );
    }
    dependencyContainers.push(
      task.addContainer('etcd', {
        image: image(DEPENDENCY_IMAGES.etcd),
        essential: true,
        environment: {
          ALLOW_NONE_AUTHENTICATION: 'yes',
          ETCD_LISTEN_CLIENT_URLS: `http://0.0.0.0:${PORTS.etcd}`,
          ETCD_ADVERTISE_CLIENT_URLS: `http://localhost:${PORTS.etcd}`,
        },
        logging: logging('etcd'),
      }),
    );
    // DocumentDB requires TLS and its CA is in no image: fetch the bundle once, before OpenIM and chat start.
    const caFetcher = mongo
      ? task.addContainer('rds-ca', {
          image: ecs.ContainerImage.fromRegistry(imageSource.reference(CA_FETCHER_IMAGE)),
          essential: false,
          entryPoint: ['sh', '-c'],
          command: [`curl -fsS --retry 5 -o ${RDS_CA.file} ${RDS_CA_BUNDLE_URL}`],
          logging: logging('rds-ca'),
        })
      : undefined;
    if (caFetcher) {
      task.addVolume({ name: RDS_CA.volume });
      caFetcher.addMountPoints({ sourceVolume: RDS_CA.volume, containerPath: RDS_CA.directory, readOnly: false });
    }
    const mongoUri = (envVar: string) =>
      mongo
        ? [exportDocumentDbUri({ envVar, host: mongo.clusterEndpoint.hostname, port: mongo.clusterEndpoint.portAsString(), username: DOCUMENTDB_USERNAME, passwordVar: 'MONGO_PASSWORD', database: DATABASE, caFile: RDS_CA.file })]
        : [];
    // Containers mode: the root user on localhost, by address and credentials (no URI needed).
    const mongoFields = (envPrefix: string): StoreSettings =>
      mongoSecret
        ? {
            environment: { [`${envPrefix}_ADDRESS`]: `localhost:${PORTS.mongo}`, [`${envPrefix}_USERNAME`]: 'root', [`${envPrefix}_AUTHSOURCE`]: 'admin', [`${envPrefix}_DATABASE`]: DATABASE },
            secrets: { [`${envPrefix}_PASSWORD`]: ecs.Secret.fromSecretsManager(mongoSecret) },
          }
        : {
            environment: { [`${envPrefix}_DATABASE`]: DATABASE },
            secrets: mongo?.secret ? { MONGO_PASSWORD: ecs.Secret.fromSecretsManager(mongo.secret, 'password') } : {},
          };
    const serverMongo = mongoFields('IMENV_MONGODB');
    const chatMongo = mongoFields('CHATENV_MONGODB');
    const withCaBundle = (container: ecs.ContainerDefinition) => {
      if (!caFetcher) return;
      container.addMountPoints({ sourceVolume: RDS_CA.volume, containerPath: RDS_CA.directory, readOnly: true });
      container.addContainerDependencies({ container: caFetcher, condition: ecs.ContainerDependencyCondition.SUCCESS });
    };

    // 5. openim-server: config from IMENV_* variables; the webhook URL (and DocumentDB's URI) are
    //    composed at start from secrets so that they never appear in the task definition.
    const server = task.addContainer('openim-server', {
      image: image(serverImage),
      essential: true,
      entryPoint: ['sh', '-c'],
      command: [startCommand([`export ${WEBHOOKS_URL_ENV}="$WEBHOOKS_BASE_URL$CALLBACK_SECRET"`, ...mongoUri('IMENV_MONGODB_URI')], images.serverStart)],
      environment: {
        WEBHOOKS_BASE_URL: props.callbackBaseUrl,
        ...webhooksEnvironment(version),
        ...serverMongo.environment,
        IMENV_REDIS_ADDRESS: redisAddress,
        ...kafka.environment,
        IMENV_DISCOVERY_ETCD_ADDRESS: `localhost:${PORTS.etcd}`,
        ...objects.environment,
        IMENV_LOG_ISSTDOUT: 'true',
        IMENV_LOG_REMAINLOGLEVEL: '3',
        ...adminUsersEnvironment(version),
      },
      secrets: {
        CALLBACK_SECRET: ecs.Secret.fromSecretsManager(props.callbackSecret),
        IMENV_SHARE_SECRET: ecs.Secret.fromSecretsManager(props.adminSecrets.share),
        ...kafka.secrets,
        ...objects.secrets,
        ...serverMongo.secrets,
        IMENV_REDIS_PASSWORD: ecs.Secret.fromSecretsManager(redisSecret),
      },
      portMappings: [{ containerPort: PORTS.gateway }, { containerPort: PORTS.api }],
      // The image's own status check: `mage` exits 0 even when it aborts the start.
      healthCheck: { command: ['CMD-SHELL', images.serverCheck], interval: Duration.seconds(30), timeout: Duration.seconds(20), retries: 10, startPeriod: Duration.seconds(180) },
      logging: logging('openim-server'),
    });
    for (const dependency of dependencyContainers) {
      server.addContainerDependencies({ container: dependency, condition: ecs.ContainerDependencyCondition.START });
    }
    withCaBundle(server);

    // 6. openim-chat: the same stores, OpenIM's API on localhost, and its own generated secrets.
    const chat = task.addContainer('openim-chat', {
      image: image(props.chatImage ?? images.chat),
      essential: true,
      entryPoint: ['sh', '-c'],
      command: [startCommand(mongoUri('CHATENV_MONGODB_URI'), CHAT_START)],
      environment: {
        ...chatMongo.environment,
        CHATENV_REDIS_ADDRESS: redisAddress,
        CHATENV_DISCOVERY_ETCD_ADDRESS: `localhost:${PORTS.etcd}`,
        CHATENV_SHARE_OPENIM_APIURL: `http://localhost:${PORTS.api}`,
        CHATENV_LOG_ISSTDOUT: 'true',
        CHATENV_LOG_REMAINLOGLEVEL: '3',
      },
      secrets: {
        CHATENV_SHARE_OPENIM_SECRET: ecs.Secret.fromSecretsManager(props.adminSecrets.share),
        CHATENV_SHARE_CHATADMIN: ecs.Secret.fromSecretsManager(props.adminSecrets.chatAdminAccount),
        CHATENV_CHAT_RPC_ADMIN_SECRET: ecs.Secret.fromSecretsManager(chatTokenSecret),
        CHATENV_CHAT_RPC_CHAT_VERIFYCODE_SUPERCODE: ecs.Secret.fromSecretsManager(chatSuperCode),
        CHATENV_CHAT_RPC_CHAT_LIVEKIT_SECRET: ecs.Secret.fromSecretsManager(chatLiveKitSecret),
        ...chatMongo.secrets,
        CHATENV_REDIS_PASSWORD: ecs.Secret.fromSecretsManager(redisSecret),
      },
      portMappings: [{ containerPort: PORTS.chatApi }, { containerPort: PORTS.adminApi }],
      logging: logging('openim-chat'),
    });
    chat.addContainerDependencies({ container: server, condition: ecs.ContainerDependencyCondition.HEALTHY });
    withCaBundle(chat);

    // 7. The service: one task (OpenIM's stateful dependencies run beside it), private subnets.
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
      // OpenIM passes its check only after about three minutes (the container's startPeriod).
      ...(props.adminTargetGroups ? { healthCheckGracePeriod: Duration.seconds(300) } : {}),
    });
    if (props.adminTargetGroups) {
      props.adminTargetGroups.api.addTarget(this.service.loadBalancerTarget({ containerName: 'openim-server', containerPort: PORTS.api }));
      props.adminTargetGroups.chatAdmin.addTarget(this.service.loadBalancerTarget({ containerName: 'openim-chat', containerPort: PORTS.adminApi }));
    }
    new CfnOutput(this, 'ClusterName', { value: this.cluster.clusterName });

    const unpinned = task.node
      .findAll()
      .filter((c): c is ecs.ContainerDefinition => c instanceof ecs.ContainerDefinition)
      .map((c) => c.imageName)
      .filter((name) => !isDigestPinned(name));
    if (unpinned.length > 0) {
      Annotations.of(this).addWarningV2(
        'openim-hooks:openim-image-tags',
        `Images pinned by tag only, which a re-push can change: ${unpinned.join(', ')}. Set -c openimImageDigests='{"<repository>":"sha256:..."}' (infra/README.md "Images").`,
      );
    }

    NagSuppressions.addResourceSuppressions(
      task,
      [
        {
          id: 'AwsSolutions-ECS2',
          reason: 'The inline variables are non-secret OpenIM settings (addresses, webhook switches); every password and the callback secret come from Secrets Manager through `secrets`.',
        },
        {
          id: 'AwsSolutions-IAM5',
          reason: 'CDK\'s grants for the awslogs driver and image pulls: logs:CreateLogStream/PutLogEvents on this task\'s log groups; ecr:GetAuthorizationToken has no resource; pulls through the cache are limited to its namespace, whose repositories ECR creates on first pull.',
        },
      ],
      true,
    );
  }
}
