// @ts-check
/**
 * Runs the AWS stand-ins on a worker thread: dynalite for DynamoDB (persisted under DATA_DIR)
 * and fauxqs for SQS, SNS and S3 (in memory). Both are bound to loopback only: fauxqs' own
 * `startFauxqs` listens on 0.0.0.0, which would expose unauthenticated queues to the network, so
 * its Fastify app is built and listened on 127.0.0.1 here.
 *
 * Plain JavaScript because Node 20 does not run TypeScript loaders (tsx) on worker threads.
 * Posts `{ dynamodbEndpoint, messagingEndpoint }` when ready; any message asks it to stop.
 */
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const LOOPBACK = '127.0.0.1';
const { dataDir } = /** @type {{ dataDir: string }} */ (workerData);

const dynamoDir = join(dataDir, 'dynamodb');
mkdirSync(dynamoDir, { recursive: true });
const dynamo = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
await new Promise((resolve, reject) => {
  dynamo.once('error', reject);
  dynamo.listen(0, LOOPBACK, () => resolve(undefined));
});
const messaging = buildApp({ logger: false });
const messagingEndpoint = await messaging.listen({ port: 0, host: LOOPBACK });

parentPort?.once('message', () => {
  void messaging.close().then(() => dynamo.close(() => process.exit(0)));
});
const address = /** @type {import('node:net').AddressInfo} */ (dynamo.address());
parentPort?.postMessage({ dynamodbEndpoint: `http://${LOOPBACK}:${address.port}`, messagingEndpoint });
