/**
 * A synthesized app running here: the stand-ins provisioned from its templates and every bundled
 * function started in its own process. Requests go through the APIs' routing as synthesized;
 * queued events reach the workers through their event source mappings as synthesized (batch
 * size, batching window), polled with the worker's own credentials so those calls are checked too.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { startQueuePoller } from '../../../local/queue-poller.ts';
import type { CloudAssembly } from './cloud-assembly.ts';
import { deployedFunctions, FunctionInitError, start, type DeployedFunction, type RunningFunction } from './deployed-functions.ts';
import { admit, type FrontDoorRequest } from './api-gateway-front-door.ts';
import { routeRequest, type RestRequest } from './rest-api-router.ts';
import { startStandIns, type StandIns } from './stand-ins.ts';

export interface DeployedApp {
  readonly assembly: CloudAssembly;
  readonly standIns: StandIns;
  readonly functions: readonly DeployedFunction[];
  /** The functions that started, by function name. */
  readonly running: ReadonlyMap<string, RunningFunction>;
  /** The functions that failed at init. */
  readonly initErrors: readonly FunctionInitError[];
  /**
   * A request to the REST API `apiLogicalId` of `stackName`: admitted or refused as API Gateway
   * would (resource policy, authorizer), then answered by the function its route integrates.
   */
  request(stackName: string, apiLogicalId: string, request: RestRequest & FrontDoorRequest): Promise<ApiAnswer>;
  /** Runs the worker of `functionName` on its queue until `done` holds. */
  drain<T>(functionName: string, done: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export interface ApiAnswer {
  /** The function that answered; undefined when API Gateway refused the request itself. */
  readonly functionName: string | undefined;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export async function deployLocally(assembly: CloudAssembly): Promise<DeployedApp> {
  const standIns = await startStandIns(assembly);
  const functions = deployedFunctions(assembly);
  const running = new Map<string, RunningFunction>();
  const initErrors: FunctionInitError[] = [];
  const started = await Promise.allSettled(functions.map((fn) => start(fn, standIns.endpoints)));
  for (const outcome of started) {
    if (outcome.status === 'fulfilled') running.set(outcome.value.fn.functionName, outcome.value);
    else if (outcome.reason instanceof FunctionInitError) initErrors.push(outcome.reason);
    else throw outcome.reason;
  }
  const byLogicalId = (stackName: string, logicalId: string) => {
    const found = [...running.values()].find(({ fn }) => fn.stack.stackName === stackName && fn.logicalId === logicalId);
    if (!found) throw new Error(`${stackName}/${logicalId} is not running`);
    return found;
  };
  const named = (functionName: string) => {
    const found = running.get(functionName);
    if (!found) throw new Error(`${functionName} is not running`);
    return found;
  };

  return {
    assembly,
    standIns,
    functions,
    running,
    initErrors,
    async request(stackName, apiLogicalId, request) {
      const stack = assembly.stack(stackName);
      const routed = routeRequest(stack, apiLogicalId, request);
      const admission = admit(assembly, stack, apiLogicalId, routed.method, request);
      if (!admission.admitted) return { functionName: undefined, status: admission.status, headers: {}, body: admission.body };
      const target = byLogicalId(stackName, routed.functionLogicalId);
      const result = await target.invoke<APIGatewayProxyResult>({ ...routed.event, requestContext: { ...routed.event.requestContext, ...admission.requestContext } });
      const text = result.body ?? '';
      const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
      return { functionName: target.fn.functionName, status: result.statusCode, headers, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
    },
    async drain(functionName, done, timeoutMs = 20_000) {
      const worker = named(functionName);
      const mapping = assembly.resourcesOfType('AWS::Lambda::EventSourceMapping').find(
        ({ stack, resource }) => stack === worker.fn.stack && (resource.Properties?.FunctionName as { Ref?: string }).Ref === worker.fn.logicalId,
      );
      if (!mapping) throw new Error(`${functionName} has no event source mapping`);
      const props = mapping.resource.Properties as { EventSourceArn: unknown; BatchSize?: number; MaximumBatchingWindowInSeconds?: number };
      const queueArn = assembly.resolveString(mapping.stack, props.EventSourceArn);
      const queue = assembly.resourcesOfType('AWS::SQS::Queue').find(({ stack, logicalId }) => assembly.attribute(stack, logicalId, 'Arn') === queueArn)!;
      const poller = await startQueuePoller({
        sqs: standIns.sqsAs(worker.fn.logicalId),
        queueUrl: assembly.physicalId(queue.stack, queue.logicalId),
        handler: (event) => worker.invoke(event),
        functionName,
        batchSize: props.BatchSize ?? 10,
        batchingWindowMs: (props.MaximumBatchingWindowInSeconds ?? 0) * 1000,
        timeoutMs: worker.fn.timeoutSeconds * 1000,
      });
      try {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const value = await done();
          if (value) return value;
          if (Date.now() > deadline) throw new Error(`${functionName}: condition not met within ${timeoutMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await poller.stop();
      }
    },
    async stop() {
      await Promise.all([...running.values()].map((fn) => fn.stop()));
      await standIns.stop();
    },
  };
}
