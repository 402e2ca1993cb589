/**
 * Loads the Lambda handlers the CDK app deploys, from the same lists (infra/operator-routes.ts,
 * infra/workers.ts), so a route group or worker added there runs locally without another line.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { OPERATOR_ROUTES } from '../infra/operator-routes.ts';
import { WORKERS } from '../infra/workers.ts';
import type { LocalQueue } from './provision-queues.ts';
import { startQueuePoller, type QueuePoller, type SqsHandler } from './queue-poller.ts';
import type { ProxyHandler } from './server.ts';

async function handlerOf<T>(entryName: string): Promise<T> {
  const module = (await import(`../functions/${entryName}/handler.ts`)) as { handler: T };
  return module.handler;
}

export async function loadOperatorRoutes(): Promise<Record<string, ProxyHandler>> {
  const routes: Record<string, ProxyHandler> = {};
  for (const group of OPERATOR_ROUTES) routes[group.pathPart] = await handlerOf<ProxyHandler>(group.entryName);
  return routes;
}

/** The environment each worker gets in AWS; locally they share one process. */
export function workerEnvironment(): Record<string, string> {
  return Object.assign({}, ...WORKERS.map((worker) => worker.environment ?? {}), ...OPERATOR_ROUTES.map((group) => group.environment ?? {}));
}

/**
 * Pollers for a worker deployed to run many instances at once (a `maxConcurrency`: the push worker,
 * one job per invocation): as many jobs run side by side as bench:push's "concurrent Lambdas", so
 * a big group's jobs overlap their waits on DynamoDB and the provider instead of queueing one after
 * another. One for every other worker.
 */
const LOCAL_CONCURRENT_INSTANCES = 4;

export async function startWorkers(sqs: SQSClient, queues: Readonly<Record<string, LocalQueue>>): Promise<QueuePoller[]> {
  const pollers: QueuePoller[] = [];
  for (const worker of WORKERS) {
    const queue = queues[worker.queue];
    if (!queue) throw new Error(`worker ${worker.entryName} consumes queue "${worker.queue}", which QUEUE_SUBSCRIPTIONS does not define`);
    const handler = await handlerOf<SqsHandler>(worker.entryName);
    const instances = worker.maxConcurrency === undefined ? 1 : Math.min(worker.maxConcurrency, LOCAL_CONCURRENT_INSTANCES);
    for (let instance = 0; instance < instances; instance++) {
      pollers.push(
        await startQueuePoller({
          sqs,
          queueUrl: queue.queueUrl,
          handler,
          functionName: worker.entryName,
          batchSize: worker.batchSize ?? 10,
          batchingWindowMs: (worker.batchingWindowSeconds ?? 0) * 1000,
          timeoutMs: (worker.timeoutSeconds ?? 30) * 1000,
        }),
      );
    }
  }
  return pollers;
}
