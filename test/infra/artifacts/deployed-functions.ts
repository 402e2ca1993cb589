/**
 * The app's Lambda functions as a cloud assembly deploys them: bundle, runtime, memory, timeout,
 * environment (resolved) and the IAM statements of their role. `start` runs one in a fresh Node
 * process (lambda-runner.mjs) with exactly its template's environment, plus what Lambda's runtime
 * adds (region, function name, credentials) and where the stand-ins listen
 * (AWS_ENDPOINT_URL_<SERVICE>); nothing of the test's own environment leaks in.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_REGION, type CloudAssembly, type StackTemplate } from './cloud-assembly.ts';
import type { PolicyStatement } from './iam-evaluator.ts';

const RUNNER = fileURLToPath(new URL('./lambda-runner.mjs', import.meta.url));
const NETWORK_GUARD = fileURLToPath(new URL('../../setup/network-guard.mjs', import.meta.url));

export interface DeployedFunction {
  readonly stack: StackTemplate;
  readonly logicalId: string;
  readonly functionName: string;
  readonly runtime: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  /** The bundle file Lambda's `Handler` names. */
  readonly file: string;
  readonly exportName: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly roleLogicalId: string;
  /** The statements of every policy attached to its role, resolved. */
  readonly statements: readonly PolicyStatement[];
}

/** The functions whose code is one of the app's bundles (CDK's own custom-resource handlers are not). */
export function deployedFunctions(assembly: CloudAssembly): DeployedFunction[] {
  return assembly.resourcesOfType('AWS::Lambda::Function').flatMap(({ stack, logicalId, resource }) => {
    const props = resource.Properties as {
      FunctionName?: unknown;
      Runtime: string;
      Handler: string;
      MemorySize?: number;
      Timeout?: number;
      Code: { S3Key?: string };
      Role: { 'Fn::GetAtt': [string, string] };
      Environment?: { Variables?: Record<string, unknown> };
    };
    const [fileBase, exportName] = [props.Handler.slice(0, props.Handler.lastIndexOf('.')), props.Handler.slice(props.Handler.lastIndexOf('.') + 1)];
    const assetDir = join(assembly.directory, `asset.${String(props.Code.S3Key).replace(/\.zip$/, '')}`);
    const file = join(assetDir, `${fileBase}.mjs`);
    if (!existsSync(file)) return [];
    const roleLogicalId = props.Role['Fn::GetAtt'][0];
    return [
      {
        stack,
        logicalId,
        functionName: props.FunctionName === undefined ? `${stack.stackName}-${logicalId}` : assembly.resolveString(stack, props.FunctionName),
        runtime: props.Runtime,
        memorySize: props.MemorySize ?? 128,
        timeoutSeconds: props.Timeout ?? 3,
        file,
        exportName,
        environment: Object.fromEntries(
          Object.entries(props.Environment?.Variables ?? {}).map(([name, value]) => [name, assembly.resolveString(stack, value, `${logicalId} ${name}`)]),
        ),
        roleLogicalId,
        statements: roleStatements(assembly, stack, roleLogicalId),
      },
    ];
  });
}

function roleStatements(assembly: CloudAssembly, stack: StackTemplate, roleLogicalId: string): PolicyStatement[] {
  return Object.entries(stack.resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
    .filter(([, resource]) => (resource.Properties?.Roles as { Ref?: string }[]).some((role) => role.Ref === roleLogicalId))
    .flatMap(([logicalId, resource]) => {
      const document = assembly.resolve(stack, resource.Properties?.PolicyDocument, logicalId) as { Statement: PolicyStatement[] };
      return document.Statement;
    });
}

export interface RunningFunction {
  readonly fn: DeployedFunction;
  /** The Node version that runs it. */
  readonly nodeVersion: string;
  /** Every line it wrote to stdout and stderr so far. */
  readonly output: string[];
  /** Its structured (JSON) log lines so far. */
  logLines(): Record<string, unknown>[];
  invoke<T = unknown>(event: unknown): Promise<T>;
  stop(): Promise<void>;
}

export class FunctionInitError extends Error {
  constructor(
    readonly functionName: string,
    override readonly cause: { name: string; message: string },
    readonly output: readonly string[],
  ) {
    super(`${functionName} failed at init: ${cause.name}: ${cause.message}`);
    this.name = 'FunctionInitError';
  }
}

export interface StandInEndpoints {
  readonly dynamodb: string;
  /** SNS, SQS and S3 (fauxqs). */
  readonly messaging: string;
}

type RunnerMessage =
  | { type: 'ready'; nodeVersion: string }
  | { type: 'init-error'; error: { name: string; message: string } }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: { name: string; message: string } };

/** The function's template environment and what Lambda's runtime adds to it (region, name, task root...). */
export function lambdaEnvironment(fn: DeployedFunction): Record<string, string> {
  return {
    ...fn.environment,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    LAMBDA_TASK_ROOT: join(fn.file, '..'),
    TZ: ':UTC',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  };
}

export async function start(fn: DeployedFunction, endpoints: StandInEndpoints): Promise<RunningFunction> {
  const env: Record<string, string> = {
    ...lambdaEnvironment(fn),
    // The role's credentials: the access key names the function, so the recorder knows who called.
    AWS_ACCESS_KEY_ID: fn.logicalId,
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: 'local',
    // The stand-ins, through the recorders.
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SNS: endpoints.messaging,
    AWS_ENDPOINT_URL_SQS: endpoints.messaging,
    AWS_ENDPOINT_URL_S3: endpoints.messaging,
    // The template's options, and the tests' network guard.
    NODE_OPTIONS: `${fn.environment.NODE_OPTIONS ?? ''} --import ${NETWORK_GUARD}`.trim(),
  };
  const child = fork(RUNNER, [fn.file, fn.exportName, String(fn.timeoutSeconds * 1000)], { env, execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], cwd: join(fn.file, '..') });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let pending = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      output.push(...lines);
    });
  }
  const nodeVersion = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: RunnerMessage) => {
      if (message.type === 'ready') resolve(message.nodeVersion);
      else if (message.type === 'init-error') reject(new FunctionInitError(fn.functionName, message.error, output));
    });
    child.once('exit', (code) => reject(new FunctionInitError(fn.functionName, { name: 'Exit', message: `exited with ${code}` }, output)));
  });
  return running(fn, child, nodeVersion, output);
}

function running(fn: DeployedFunction, child: ChildProcess, nodeVersion: string, output: string[]): RunningFunction {
  let lastId = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (message: RunnerMessage) => {
    if (message.type !== 'result' && message.type !== 'error') return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.type === 'result') waiting?.resolve(message.result);
    else waiting?.reject(Object.assign(new Error(`${fn.functionName}: ${message.error.name}: ${message.error.message}`), { name: message.error.name }));
  });
  return {
    fn,
    nodeVersion,
    output,
    logLines: () => output.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>),
    invoke<T>(event: unknown) {
      const id = (lastId += 1);
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, event });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}
