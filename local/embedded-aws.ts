/**
 * The in-process stand-ins for AWS in local mode: dynalite for DynamoDB (persisted under
 * DATA_DIR) and fauxqs for SQS and SNS (in memory). Both are bound to loopback only: fauxqs'
 * own `startFauxqs` listens on 0.0.0.0, which would expose unauthenticated queues to the network,
 * so its Fastify app is built and listened on 127.0.0.1 here.
 */
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface EmbeddedAws {
  readonly dynamodbEndpoint: string;
  /** SQS and SNS share one endpoint. */
  readonly messagingEndpoint: string;
  stop(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

export async function startEmbeddedAws(dataDir: string): Promise<EmbeddedAws> {
  const dynamoDir = join(dataDir, 'dynamodb');
  mkdirSync(dynamoDir, { recursive: true });
  const dynamo: Server = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(0, LOOPBACK, () => resolve());
  });

  const messaging = buildApp({ logger: false });
  const messagingEndpoint = await messaging.listen({ port: 0, host: LOOPBACK });

  return {
    dynamodbEndpoint: `http://${LOOPBACK}:${(dynamo.address() as AddressInfo).port}`,
    messagingEndpoint,
    async stop() {
      await messaging.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}
