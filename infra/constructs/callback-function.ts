/**
 * Every Lambda of the service: a `NodejsFunction` built from `functions/<name>/handler.ts`, the
 * same entry the local server runs, with the project's defaults, and helpers that bind a resource
 * with least privilege in one call (environment variable and grant together).
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type BundlingOptions, type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { NagSuppressions } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import { CLAIM_CHECK_BUCKET_ENV } from '#shared/config/claim-check-config.ts';
import { contextValue } from '../config/stage-config.ts';
import { CLAIM_CHECK_KEY_PREFIX } from '#shared/events/claim-check.ts';
import type { DefinedTable } from './defined-table.ts';
import type { SplitBundleRequest } from './split-bundle.ts';

/** Repository root: entries and the lock file are resolved from here, whatever the cwd. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * CDK context key (`-c sourceMaps=true`): Node applies the bundles' source maps to stack traces.
 * Off by default because Node then reads and parses each function's map at every cold start.
 */
export const SOURCE_MAPS_CONTEXT_KEY = 'sourceMaps';

/** The esbuild settings of every function (bench:cold-start builds its minimal bundle with the same). */
const LAMBDA_ESBUILD = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  // Positions and names are what a stack trace needs; the sources are in the repository, and
  // leaving them out makes the map a quarter of the size to upload and, when applied, to parse.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // Some bundled CommonJS dependencies call require() for Node built-ins; code-split chunks get it too.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;

const SPLIT_BUNDLE_SCRIPT = fileURLToPath(new URL('./split-bundle.ts', import.meta.url));

/**
 * How a function whose handler is `entry` is bundled: NodejsFunction's esbuild, then split-bundle.ts
 * builds it again with code splitting (chunks a cold start does not read) and the package files
 * read at run time, over the first build's index.mjs; then `hooks`' own afterBundling commands.
 */
export function lambdaBundling(entry: string, hooks?: ICommandHooks): BundlingOptions {
  const request: SplitBundleRequest = {
    entry,
    outdir: '',
    projectRoot: REPO_ROOT,
    target: LAMBDA_ESBUILD.target,
    minify: LAMBDA_ESBUILD.minify,
    sourcemap: LAMBDA_ESBUILD.sourceMap,
    sourcesContent: LAMBDA_ESBUILD.sourcesContent,
    mainFields: LAMBDA_ESBUILD.mainFields,
    banner: LAMBDA_ESBUILD.banner,
  };
  return {
    ...LAMBDA_ESBUILD,
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    externalModules: [],
    // Local esbuild only: no Docker engine on build machines or in CI.
    forceDockerBundling: false,
    commandHooks: {
      beforeBundling: (inputDir, outputDir) => hooks?.beforeBundling(inputDir, outputDir) ?? [],
      beforeInstall: (inputDir, outputDir) => hooks?.beforeInstall(inputDir, outputDir) ?? [],
      afterBundling: (inputDir, outputDir) => [
        // The Node running the synth (24, which runs .ts files itself).
        [process.execPath, SPLIT_BUNDLE_SCRIPT, JSON.stringify({ ...request, outdir: outputDir })].map(shellQuoted).join(' '),
        ...(hooks?.afterBundling(inputDir, outputDir) ?? []),
      ],
    },
  };
}

/** `value` as one POSIX shell word. */
function shellQuoted(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** CloudWatch namespace of the service's own metrics (shared/observability/metrics.ts). */
export const METRICS_NAMESPACE = 'OpenimHooks';

export interface CallbackFunctionProps {
  /** Directory under `functions/` holding `handler.ts` (exporting `handler`). */
  readonly entryName: string;
  /** Physical function name; also names the log group `/aws/lambda/<functionName>`. */
  readonly functionName: string;
  /** Powertools `service` (logs and the metrics' `service` dimension). */
  readonly serviceName: string;
  /** @default Duration.seconds(5) */
  readonly timeout?: Duration;
  /** More memory also means more CPU, which shortens cold starts. @default 256 */
  readonly memorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default undefined (unreserved) */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Runs the function in this VPC's private subnets (egress through their NAT), for targets
   * reachable only from inside it. @default undefined (outside any VPC)
   */
  readonly vpc?: ec2.IVpc | undefined;
  /** Commands run around esbuild, e.g. to copy files the handler reads into the bundle. @default none */
  readonly commandHooks?: ICommandHooks;
}

export type TableAccess = 'read' | 'write' | 'readWrite';

/** Publishers put claim-checked events; consumers get them; nobody lists or deletes (the lifecycle rule expires them). */
export type ClaimCheckAccess = 'put' | 'get';

/**
 * Defaults, documented once: ARM64 (cheaper per ms, same code), Node 24 (the project's runtime),
 * active X-Ray tracing, ESM bundle minified and code-split (what the handler imports lazily is a
 * chunk a cold start does not read), its source map shipped beside it but applied by Node only with
 * `-c sourceMaps=true`, every dependency bundled (the SDK version is the one the tests ran, not the
 * runtime's), a log group of its own with retention, and Powertools' service and namespace set from
 * the environment.
 */
export class CallbackFunction extends NodejsFunction {
  /** Its own log group (with retention), for metric filters and subscriptions. */
  public readonly functionLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CallbackFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    const entry = `${REPO_ROOT}functions/${props.entryName}/handler.ts`;
    super(scope, id, {
      entry,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      functionName: props.functionName,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(5),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      ...(props.vpc ? { vpc: props.vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } } : {}),
      environment: {
        ...nodeOptionsEnvironment(scope),
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      bundling: lambdaBundling(entry, props.commandHooks),
    });
    this.functionLogGroup = logGroup;
    NagSuppressions.addResourceSuppressions(
      this,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason: 'AWSLambdaBasicExecutionRole only allows writing this function\'s logs; CDK attaches it to every Lambda role.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions, so tracing needs Resource "*".',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
    if (props.vpc) {
      NagSuppressions.addResourceSuppressions(
        this,
        [
          {
            id: 'AwsSolutions-IAM4',
            reason: 'AWSLambdaVPCAccessExecutionRole only allows managing the network interfaces a function in a VPC needs; CDK attaches it to every VPC Lambda role.',
            appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'],
          },
        ],
        true,
      );
    }
  }

  /** Sets the table's name variable and grants exactly the data actions of `access`. */
  bindTable({ table, access }: { readonly table: DefinedTable; readonly access: TableAccess }): this {
    this.addEnvironment(table.envVar, table.tableName);
    grantTable(this, table, access);
    NagSuppressions.addResourceSuppressions(
      this,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: "CDK grants a table's data actions on its own GSIs as <tableArn>/index/*: the wildcard covers only the indexes of this one table.",
          appliesTo: [{ regex: '/^Resource::.+\\/index\\/\\*$/g' }],
        },
      ],
      true,
    );
    return this;
  }

  /** Sets `<envVar>` to the topic ARN and grants sns:Publish on that topic only. */
  bindTopic({ topic, envVar }: { readonly topic: sns.ITopic; readonly envVar: string }): this {
    this.addEnvironment(envVar, topic.topicArn);
    topic.grantPublish(this);
    return this;
  }

  /**
   * Sets CHAT_EVENT_PAYLOADS_BUCKET and grants exactly s3:PutObject or s3:GetObject on the
   * claim-check keys of that bucket (shared/events/claim-check.ts). SSE-S3 needs no key grant.
   */
  bindClaimChecks({ bucket, access }: { readonly bucket: s3.IBucket; readonly access: ClaimCheckAccess }): this {
    this.addEnvironment(CLAIM_CHECK_BUCKET_ENV, bucket.bucketName);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [access === 'put' ? 's3:PutObject' : 's3:GetObject'],
        resources: [bucket.arnForObjects(`${CLAIM_CHECK_KEY_PREFIX}*`)],
      }),
    );
    NagSuppressions.addResourceSuppressions(
      this,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: `Claim-checked events are keyed by event ID under ${CLAIM_CHECK_KEY_PREFIX}: the wildcard covers only those objects of the one payloads bucket, for one action.`,
          appliesTo: [{ regex: `/^Resource::.+\\/${CLAIM_CHECK_KEY_PREFIX.replace('/', '')}\\/\\*$/g` }],
        },
      ],
      true,
    );
    return this;
  }

  /** Sets `<envVar>` to the queue URL and grants sending to that queue only. */
  bindQueueSender({ queue, envVar }: { readonly queue: sqs.IQueue; readonly envVar: string }): this {
    this.addEnvironment(envVar, queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }

  /**
   * Consumes the queue with partial batch responses: the handler returns the failed message IDs
   * (Powertools `processPartialResponse`), so one bad record does not redeliver the whole batch.
   */
  consumeQueue({ queue, batchSize = 10, maxBatchingWindow, maxConcurrency }: {
    readonly queue: sqs.IQueue;
    readonly batchSize?: number;
    readonly maxBatchingWindow?: Duration;
    /** The event source's maximum concurrency (2-1000): at most this many invocations at once. */
    readonly maxConcurrency?: number;
  }): this {
    this.addEventSource(
      new SqsEventSource(queue, {
        batchSize,
        reportBatchItemFailures: true,
        ...(maxBatchingWindow ? { maxBatchingWindow } : {}),
        ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
      }),
    );
    return this;
  }
}

/** `NODE_OPTIONS` for every function: `--enable-source-maps` only when the `sourceMaps` context key asks. */
function nodeOptionsEnvironment(scope: Construct): { NODE_OPTIONS?: string } {
  const value = contextValue(scope.node, SOURCE_MAPS_CONTEXT_KEY);
  if (value === undefined || value === 'false') return {};
  if (value === 'true') return { NODE_OPTIONS: '--enable-source-maps' };
  throw new Error(`${SOURCE_MAPS_CONTEXT_KEY} must be true or false, got "${value}"`);
}

function grantTable(fn: CallbackFunction, table: dynamodb.ITable, access: TableAccess): void {
  if (access === 'read') table.grantReadData(fn);
  else if (access === 'write') table.grantWriteData(fn);
  else table.grantReadWriteData(fn);
}
