/**
 * The in-process stand-ins for AWS in local mode (see embedded-aws-worker.ts). They run on their
 * own worker thread so that, like the real services, they do not take CPU from the handlers'
 * event loop: with both on one thread, an SNS publish cost the after-callback path twice as much.
 */
import { Worker } from 'node:worker_threads';

/** The thread's name, as `top -H` and /proc show it (Linux keeps 15 characters). */
export const AWS_STAND_INS_THREAD = 'aws-stand-ins';

export interface EmbeddedAwsOptions {
  /** Queues, DLQs and in-flight messages in SQLite under DATA_DIR, or in memory. @default true */
  readonly durableQueues?: boolean;
}

/** What the worker thread gets. */
export interface EmbeddedAwsSettings {
  readonly dataDir: string;
  readonly durableQueues: boolean;
}

export type EmbeddedAwsRequest =
  | { readonly type: 'stop' }
  | { readonly type: 'release-in-flight'; readonly id: number; readonly queueNames: readonly string[] };

export type EmbeddedAwsResponse =
  | { readonly type: 'ready'; readonly dynamodbEndpoint: string; readonly messagingEndpoint: string }
  | { readonly type: 'released'; readonly id: number; readonly count: number };

export interface EmbeddedAws {
  readonly dynamodbEndpoint: string;
  /** SQS, SNS and S3 share one endpoint (fauxqs). */
  readonly messagingEndpoint: string;
  /** See FauxqsServer.releaseInFlight (fauxqs-server.ts). */
  releaseInFlight(queueNames: readonly string[]): Promise<number>;
  stop(): Promise<void>;
}

export async function startEmbeddedAws(dataDir: string, options: EmbeddedAwsOptions = {}): Promise<EmbeddedAws> {
  const settings: EmbeddedAwsSettings = { dataDir, durableQueues: options.durableQueues ?? true };
  const worker = new Worker(new URL('./embedded-aws-worker.ts', import.meta.url), { workerData: settings, name: AWS_STAND_INS_THREAD });
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  const ready = await new Promise<Extract<EmbeddedAwsResponse, { type: 'ready' }>>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    void exited.then((code) => reject(new Error(`the AWS stand-ins stopped during start-up (exit ${code})`)));
  });
  let lastId = 0;
  const send = (request: EmbeddedAwsRequest) => worker.postMessage(request);
  return {
    dynamodbEndpoint: ready.dynamodbEndpoint,
    messagingEndpoint: ready.messagingEndpoint,
    releaseInFlight(queueNames) {
      const id = (lastId += 1);
      return new Promise((resolve, reject) => {
        const onMessage = (response: EmbeddedAwsResponse) => {
          if (response.type !== 'released' || response.id !== id) return;
          worker.off('message', onMessage);
          resolve(response.count);
        };
        worker.on('message', onMessage);
        void exited.then(() => reject(new Error('the AWS stand-ins have stopped')));
        send({ type: 'release-in-flight', id, queueNames });
      });
    },
    async stop() {
      send({ type: 'stop' });
      await exited;
    },
  };
}
