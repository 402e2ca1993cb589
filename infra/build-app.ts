/**
 * Builds every stack of one stage into `app`, wired together: (network) -> data -> messaging ->
 * callbacks API -> operator API -> (OpenIM) -> observability. `infra/app.ts` calls it with the stage
 * read from context; the tests call it to synthesise the whole app in-process.
 */
import { type App, Aspects, Tags } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StageConfig } from './config/stage-config.ts';
import { CallbacksApiStack } from './stacks/callbacks-api-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { MessagingStack } from './stacks/messaging-stack.ts';
import { NetworkStack } from './stacks/network-stack.ts';
import { ObservabilityStack } from './stacks/observability-stack.ts';
import { OpenimStack } from './stacks/openim-stack.ts';
import { OperatorApiStack } from './stacks/operator-api-stack.ts';

export interface OpenimHooksApp {
  readonly data: DataStack;
  readonly messaging: MessagingStack;
  readonly callbacks: CallbacksApiStack;
  readonly operator: OperatorApiStack;
  readonly network: NetworkStack | undefined;
  readonly openim: OpenimStack | undefined;
  readonly observability: ObservabilityStack;
}

export function buildApp(app: App, config: StageConfig): OpenimHooksApp {
  const id = (name: string) => `OpenimHooks-${config.stage}-${name}`;
  // Account and region come from the CLI's profile when present; without them the stacks stay
  // environment-agnostic, so `cdk synth` works with no credentials.
  const env =
    process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION
      ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
      : undefined;
  const common = { env };
  const logRetention = config.logRetentionDays as logs.RetentionDays;

  const needsVpc = config.deployOpenIM || config.apiEndpoint === 'private';
  const network = needsVpc
    ? new NetworkStack(app, id('network'), {
        ...common,
        description: 'openim-hooks: VPC for OpenIM, the private callbacks API endpoint, OpenIM admin load balancer',
        vpcId: config.vpcId,
        natGateways: config.stage === 'prod' ? 2 : 1,
        logRetention,
        openimAdminApi: config.deployOpenIM,
        prefix: config.prefix,
      })
    : undefined;
  // OpenIM deployed here: the review Lambdas reach its admin APIs through the internal load
  // balancer, with its own secrets.
  const openimAdmin = network?.openimAdmin
    ? {
        vpc: network.vpc,
        apiUrl: network.openimAdmin.apiUrl,
        chatApiUrl: network.openimAdmin.chatApiUrl,
        secretName: network.openimAdmin.secrets.shareSecretName,
        chatAdminSecretName: network.openimAdmin.secrets.chatAdminSecretName,
      }
    : undefined;
  const data = new DataStack(app, id('data'), { ...common, description: 'openim-hooks: DynamoDB tables (retained)' });
  const messaging = new MessagingStack(app, id('messaging'), {
    ...common,
    description: 'openim-hooks: chat-events topic, consumer queues with DLQs, workers',
    prefix: config.prefix,
    tables: data.tables,
    logRetention,
    openimAdmin,
  });
  const callbacks = new CallbacksApiStack(app, id('callbacks'), {
    ...common,
    description: 'openim-hooks: the API OpenIM calls, before/after callback Lambdas',
    prefix: config.prefix,
    stageName: config.stage,
    chatEventsTopic: messaging.chatEventsTopic,
    chatEventPayloads: messaging.chatEventPayloads,
    tables: data.tables,
    apiEndpoint: config.apiEndpoint,
    vpc: network?.vpc,
    beforeProvisionedConcurrency: config.beforeProvisionedConcurrency,
    beforeReservedConcurrency: config.beforeReservedConcurrency,
    logRetention,
  });
  const operator = new OperatorApiStack(app, id('operator'), {
    ...common,
    description: 'openim-hooks: operator and moderator API',
    prefix: config.prefix,
    stageName: config.stage,
    auth: config.operatorAuth,
    tables: data.tables,
    chatEventsTopic: messaging.chatEventsTopic,
    logRetention,
    openimAdmin,
  });
  const openim =
    config.deployOpenIM && network?.openimAdmin
      ? new OpenimStack(app, id('openim'), {
          ...common,
          description: 'openim-hooks: OpenIM server and chat on ECS Fargate, webhooks wired to the callbacks API',
          prefix: config.prefix,
          vpc: network.vpc,
          callbackBaseUrl: callbacks.callbackBaseUrl,
          callbackSecret: callbacks.callbackSecret,
          dependencies: config.openimDependencies,
          version: config.openimVersion,
          serverImage: config.openimServerImage,
          chatImage: config.openimChatImage,
          images: { registry: config.openimImageRegistry, digests: config.openimImageDigests },
          logRetention,
          adminSecrets: network.openimAdmin.secrets,
          adminTargetGroups: { api: network.openimAdmin.apiTargetGroup, chatAdmin: network.openimAdmin.chatAdminTargetGroup },
        })
      : undefined;
  const observability = new ObservabilityStack(app, id('observability'), {
    ...common,
    description: 'openim-hooks: alarms and dashboard',
    prefix: config.prefix,
    callbacksApi: callbacks.api,
    beforeCallback: callbacks.beforeCallback,
    afterCallback: callbacks.afterCallback,
    otherFunctions: [...messaging.workers, ...operator.routeFunctions],
    queues: messaging.queues,
    alarmEmail: config.alarmEmail,
  });

  Tags.of(app).add('project', 'openim-hooks');
  Tags.of(app).add('stage', config.stage);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { data, messaging, callbacks, operator, network, openim, observability };
}
