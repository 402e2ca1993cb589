/**
 * Runs the AWS stand-ins on a worker thread (see embedded-aws.ts), at nice 19: dynalite for DynamoDB
 * and fauxqs for SQS, SNS and S3, both bound to loopback and both persisted under DATA_DIR.
 * TypeScript here too: on Node 24, tsx's loader also runs on worker threads, and where tsx is not
 * loaded (vitest) Node strips the types itself.
 */
import dynalite from 'dynalite';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { EmbeddedAwsRequest, EmbeddedAwsResponse, EmbeddedAwsSettings } from './embedded-aws.ts';
import { lowerThisThread } from '#shared/process/background-priority.ts';
import { startFauxqsServer } from './fauxqs-server.ts';

// Below the event loop that answers OpenIM: no answer of a busy server waits for the stand-ins
// (shared/process/background-priority.ts says what still does, and why that is fine).
await lowerThisThread();

const LOOPBACK = '127.0.0.1';
const { dataDir, durableQueues } = workerData as EmbeddedAwsSettings;
const port = parentPort!;

const dynamoDir = join(dataDir, 'dynamodb');
mkdirSync(dynamoDir, { recursive: true });
const dynamo = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
await new Promise<void>((resolve, reject) => {
  dynamo.once('error', reject);
  dynamo.listen(0, LOOPBACK, () => resolve());
});
const messaging = await startFauxqsServer({ host: LOOPBACK, ...(durableQueues ? { dataDir: join(dataDir, 'queues') } : {}) });

const reply = (response: EmbeddedAwsResponse) => port.postMessage(response);
port.on('message', (request: EmbeddedAwsRequest) => {
  if (request.type === 'release-in-flight') {
    reply({ type: 'released', id: request.id, count: messaging.releaseInFlight(request.queueNames) });
    return;
  }
  void messaging.close().then(() => dynamo.close(() => process.exit(0)));
});
reply({
  type: 'ready',
  dynamodbEndpoint: `http://${LOOPBACK}:${(dynamo.address() as AddressInfo).port}`,
  messagingEndpoint: messaging.endpoint,
});
