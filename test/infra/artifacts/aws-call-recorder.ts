/**
 * Records every AWS API call a synthesized Lambda makes, on the wire, as IAM would see it: the
 * caller (the access key the harness gave that function), the IAM action and the resource ARNs.
 * It is a loopback proxy in front of a stand-in (dynalite, or fauxqs for SNS, SQS and S3) rather
 * than an SDK middleware because each bundle carries its own SDK copy: a middleware would mean
 * shipping something else than what `cdk deploy` uploads. Actions are named as IAM authorizes them:
 * batch and transactional calls become the action of each item (PublishBatch is sns:Publish,
 * TransactWriteItems a PutItem/UpdateItem/DeleteItem/ConditionCheckItem per item).
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './cloud-assembly.ts';

export interface RecordedAwsCall {
  /** The access key ID the call was signed with: the function's logical ID in these tests. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly status: number;
}

export interface AwsCallRecorder {
  readonly endpoint: string;
  readonly calls: RecordedAwsCall[];
  close(): Promise<void>;
}

export async function startAwsCallRecorder(target: string, calls: RecordedAwsCall[] = []): Promise<AwsCallRecorder> {
  const upstream = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const forwarded = request(
        { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: upstream.host } },
        (answer) => {
          const principal = accessKeyOf(incoming);
          for (const { action, resource } of authorizationsOf(incoming, body)) calls.push({ principal, action, resource, status: answer.statusCode ?? 0 });
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', (error) => outgoing.destroy(error));
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function accessKeyOf(message: IncomingMessage): string {
  return /Credential=([^/]+)\//.exec(message.headers.authorization ?? '')?.[1] ?? 'unsigned';
}

function serviceOf(message: IncomingMessage): string {
  return /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(message.headers.authorization ?? '')?.[1] ?? 'unknown';
}

interface Authorization {
  readonly action: string;
  readonly resource: string;
}

/** The IAM authorizations one request needs. */
export function authorizationsOf(message: IncomingMessage, body: Buffer): Authorization[] {
  const service = serviceOf(message);
  const target = String(message.headers['x-amz-target'] ?? '');
  const operation = target ? target.slice(target.indexOf('.') + 1) : new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
  switch (service) {
    case 'dynamodb':
      return dynamodb(operation, JSON.parse(body.toString('utf8') || '{}') as DynamoRequest);
    case 'sns':
      return sns(operation, new URLSearchParams(body.toString('utf8')));
    case 'sqs':
      return sqs(operation, JSON.parse(body.toString('utf8') || '{}') as { QueueUrl?: string });
    case 's3':
      return s3(message);
    default:
      return [{ action: `${service}:${operation || message.method}`, resource: '*' }];
  }
}

interface DynamoRequest {
  TableName?: string;
  IndexName?: string;
  RequestItems?: Record<string, unknown[]>;
  TransactItems?: Record<string, { TableName: string }>[];
}

const tableArn = (table: string, index?: string) => `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${table}${index ? `/index/${index}` : ''}`;
const TRANSACT_ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };

function dynamodb(operation: string, input: DynamoRequest): Authorization[] {
  if (input.RequestItems) return Object.keys(input.RequestItems).map((table) => ({ action: `dynamodb:${operation}`, resource: tableArn(table) }));
  if (input.TransactItems) {
    return input.TransactItems.flatMap((item) =>
      Object.entries(item).map(([kind, detail]) => ({ action: `dynamodb:${TRANSACT_ACTIONS[kind] ?? kind}`, resource: tableArn(detail.TableName) })),
    );
  }
  return [{ action: `dynamodb:${operation}`, resource: input.TableName ? tableArn(input.TableName, input.IndexName) : '*' }];
}

function sns(operation: string, form: URLSearchParams): Authorization[] {
  const action = operation === 'PublishBatch' ? 'Publish' : operation;
  return [{ action: `sns:${action}`, resource: form.get('TopicArn') ?? form.get('TargetArn') ?? '*' }];
}

const BATCHED_SQS: Record<string, string> = { SendMessageBatch: 'SendMessage', DeleteMessageBatch: 'DeleteMessage', ChangeMessageVisibilityBatch: 'ChangeMessageVisibility' };

function sqs(operation: string, input: { QueueUrl?: string }): Authorization[] {
  const [account, name] = input.QueueUrl ? new URL(input.QueueUrl).pathname.split('/').filter(Boolean) : [];
  return [{ action: `sqs:${BATCHED_SQS[operation] ?? operation}`, resource: name ? `arn:aws:sqs:${LOCAL_REGION}:${account}:${name}` : '*' }];
}

/** Path-style S3 (the SDK uses it for an IP endpoint): /<bucket>[/<key>]. */
function s3(message: IncomingMessage): Authorization[] {
  const url = new URL(message.url ?? '/', 'http://local');
  const [bucket, ...key] = url.pathname.split('/').slice(1).map(decodeURIComponent);
  if (key.length === 0 || key.join('/') === '') {
    const action = message.method === 'GET' ? 'ListBucket' : message.method === 'PUT' ? 'CreateBucket' : `${message.method}Bucket`;
    return [{ action: `s3:${action}`, resource: `arn:aws:s3:::${bucket}` }];
  }
  const actions: Record<string, string> = { GET: 'GetObject', HEAD: 'GetObject', PUT: 'PutObject', POST: 'PutObject', DELETE: 'DeleteObject' };
  return [{ action: `s3:${actions[message.method ?? ''] ?? message.method}`, resource: `arn:aws:s3:::${bucket}/${key.join('/')}` }];
}
