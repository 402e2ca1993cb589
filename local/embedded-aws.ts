/**
 * The in-process stand-ins for AWS in local mode (see embedded-aws-worker.mjs). They run on their
 * own worker thread so that, like the real services, they do not take CPU from the handlers'
 * event loop: with both on one thread, an SNS publish cost the after-callback path twice as much.
 */
import { Worker } from 'node:worker_threads';

/** What the stand-ins' worker posts when it is ready. */
export interface EmbeddedAwsReady {
  readonly dynamodbEndpoint: string;
  /** SQS, SNS and S3 share one endpoint (fauxqs). */
  readonly messagingEndpoint: string;
}

export interface EmbeddedAws extends EmbeddedAwsReady {
  stop(): Promise<void>;
}

export async function startEmbeddedAws(dataDir: string): Promise<EmbeddedAws> {
  const worker = new Worker(new URL('./embedded-aws-worker.mjs', import.meta.url), { workerData: { dataDir } });
  const ready = await new Promise<EmbeddedAwsReady>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the AWS stand-ins stopped during start-up (exit ${code})`)));
  });
  return {
    ...ready,
    async stop() {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      await exited;
    },
  };
}
