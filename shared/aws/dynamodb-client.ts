/**
 * DynamoDB as the stores use it: the document client's commands (items as plain values, marshalled
 * as @aws-sdk/lib-dynamodb marshals them, undefined values removed), sent in DynamoDB's JSON
 * protocol by signed-aws-service.ts rather than through the SDK's DynamoDB client, whose protocol
 * layers and smithy core were most of what a before-callback's cold start read (docs/benchmarks-history.md,
 * "Cold starts"). The commands carry lib-dynamodb's own input and output types, so a store reads
 * as it would with the SDK: `client.send(new GetCommand({ TableName, Key }))`.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput as SdkQueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import { AwsServiceError, SignedAwsService, type SignedClientOptions } from './signed-aws-service.ts';

type Item = Record<string, NativeAttributeValue>;
/** An item as DynamoDB's JSON carries it: binary values in base64. */
type WireItem = Record<string, unknown>;
type WireWriteRequest = { PutRequest?: { Item: WireItem }; DeleteRequest?: { Key: WireItem } };
/** What a command answers: lib-dynamodb's output without the SDK's response metadata. */
type Answer<Output> = Omit<Output, '$metadata'>;
export type { QueryCommandInput };
export type QueryCommandOutput = Answer<SdkQueryCommandOutput>;

/** One DynamoDB operation with a document-shaped input, and how its input and answer cross the wire. */
abstract class DocumentCommand<Input, Output> {
  abstract readonly operation: string;
  /** The answer's type, for `send` to return (no value at run time). */
  declare readonly output: Answer<Output>;
  constructor(readonly input: Input) {}
  abstract readonly request: () => object;
  abstract readonly answer: (wire: Record<string, any>) => Answer<Output>;
}

export class GetCommand extends DocumentCommand<GetCommandInput, GetCommandOutput> {
  readonly operation = 'GetItem';
  request = () => ({ ...this.input, Key: wireItem(this.input.Key) });
  answer = (wire: Record<string, any>) => ({ ...wire, Item: itemOrUndefined(wire.Item) });
}

export class PutCommand extends DocumentCommand<PutCommandInput, PutCommandOutput> {
  readonly operation = 'PutItem';
  request = () => ({ ...this.input, Item: wireItem(this.input.Item), ExpressionAttributeValues: wireItemOrUndefined(this.input.ExpressionAttributeValues) });
  answer = withAttributes;
}

export class UpdateCommand extends DocumentCommand<UpdateCommandInput, UpdateCommandOutput> {
  readonly operation = 'UpdateItem';
  request = () => keyAndValues(this.input);
  answer = withAttributes;
}

export class DeleteCommand extends DocumentCommand<DeleteCommandInput, DeleteCommandOutput> {
  readonly operation = 'DeleteItem';
  request = () => keyAndValues(this.input);
  answer = withAttributes;
}

export class QueryCommand extends DocumentCommand<QueryCommandInput, SdkQueryCommandOutput> {
  readonly operation = 'Query';
  request = () => valuesAndStartKey(this.input);
  answer = withPage;
}

export class ScanCommand extends DocumentCommand<ScanCommandInput, ScanCommandOutput> {
  readonly operation = 'Scan';
  request = () => valuesAndStartKey(this.input);
  answer = withPage;
}

export class BatchGetCommand extends DocumentCommand<BatchGetCommandInput, BatchGetCommandOutput> {
  readonly operation = 'BatchGetItem';
  request = () => ({ ...this.input, RequestItems: mapValues(this.input.RequestItems, (table) => ({ ...table, Keys: table.Keys?.map(wireItem) })) });
  answer = (wire: Record<string, any>) => ({
    ...wire,
    Responses: mapValues(wire.Responses as Record<string, WireItem[]> | undefined, (items) => items.map(itemOf)),
    UnprocessedKeys: mapValues(wire.UnprocessedKeys as Record<string, { Keys?: WireItem[] }> | undefined, (table) => ({ ...table, Keys: table.Keys?.map(itemOf) })),
  });
}

export class BatchWriteCommand extends DocumentCommand<BatchWriteCommandInput, BatchWriteCommandOutput> {
  readonly operation = 'BatchWriteItem';
  request = () => ({
    ...this.input,
    RequestItems: mapValues(this.input.RequestItems, (requests) =>
      requests.map(({ PutRequest, DeleteRequest }) => (PutRequest ? { PutRequest: { Item: wireItem(PutRequest.Item) } } : { DeleteRequest: { Key: wireItem(DeleteRequest!.Key) } })),
    ),
  });
  answer = (wire: Record<string, any>) => ({
    ...wire,
    UnprocessedItems: mapValues(wire.UnprocessedItems as Record<string, WireWriteRequest[]> | undefined, (requests) =>
      requests.map(({ PutRequest, DeleteRequest }) => (PutRequest ? { PutRequest: { Item: itemOf(PutRequest.Item) } } : { DeleteRequest: { Key: itemOf(DeleteRequest!.Key) } })),
    ),
  });
}

export class DynamoDocumentClient {
  private readonly dynamodb: SignedAwsService;

  constructor(options: SignedClientOptions = {}) {
    this.dynamodb = new SignedAwsService({ service: 'dynamodb', endpointVariable: 'AWS_ENDPOINT_URL_DYNAMODB', errorOf: serviceErrorOf }, options);
  }

  async send<Command extends DocumentCommand<unknown, unknown>>(command: Command): Promise<Command['output']> {
    const text = await this.dynamodb.post(JSON.stringify(command.request()), {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${command.operation}`,
    });
    return command.answer(JSON.parse(text) as Record<string, any>);
  }
}

/** Every page of a query, each after the one before, until DynamoDB names no further key (the SDK's `paginateQuery`). */
export async function* paginateQuery({ client }: { readonly client: DynamoDocumentClient }, input: QueryCommandInput): AsyncGenerator<QueryCommandOutput> {
  let startKey = input.ExclusiveStartKey;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

export function createDynamoDocumentClient(options: SignedClientOptions = {}): DynamoDocumentClient {
  return new DynamoDocumentClient(options);
}

/** `{"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "message": …}`, named by the part after `#`. */
function serviceErrorOf(statusCode: number, text: string): AwsServiceError {
  let body: { __type?: unknown; message?: unknown; Message?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not DynamoDB's JSON (a proxy's page): named by the HTTP status below.
  }
  const code = typeof body.__type === 'string' ? body.__type.slice(body.__type.lastIndexOf('#') + 1) : `Http${statusCode}`;
  const message = body.message ?? body.Message;
  return new AwsServiceError(code, typeof message === 'string' ? message : `DynamoDB answered ${statusCode}`, statusCode);
}

const MARSHALL_OPTIONS = { removeUndefinedValues: true } as const;

function keyAndValues<Input extends { Key: Item | undefined; ExpressionAttributeValues?: Item | undefined }>(input: Input) {
  return { ...input, Key: wireItem(input.Key), ExpressionAttributeValues: wireItemOrUndefined(input.ExpressionAttributeValues) };
}

function valuesAndStartKey<Input extends { ExpressionAttributeValues?: Item | undefined; ExclusiveStartKey?: Item | undefined }>(input: Input) {
  return { ...input, ExpressionAttributeValues: wireItemOrUndefined(input.ExpressionAttributeValues), ExclusiveStartKey: wireItemOrUndefined(input.ExclusiveStartKey) };
}

function withAttributes(wire: Record<string, any>) {
  return { ...wire, Attributes: itemOrUndefined(wire.Attributes) };
}

function withPage(wire: Record<string, any>) {
  return { ...wire, Items: itemsOrUndefined(wire.Items), LastEvaluatedKey: itemOrUndefined(wire.LastEvaluatedKey) };
}

function wireItem(item: Item | undefined): WireItem {
  return mapValues(marshall(item ?? {}, MARSHALL_OPTIONS), toWire);
}

function wireItemOrUndefined(item: Item | undefined): WireItem | undefined {
  return item === undefined ? undefined : wireItem(item);
}

function itemOf(wire: WireItem): Item {
  return unmarshall(mapValues(wire, fromWire) as Record<string, AttributeValue>);
}

function itemOrUndefined(wire: WireItem | undefined): Item | undefined {
  return wire === undefined ? undefined : itemOf(wire);
}

function itemsOrUndefined(wire: WireItem[] | undefined): Item[] | undefined {
  return wire?.map(itemOf);
}

/** Binary values to base64, as DynamoDB's JSON protocol carries them; everything else as it is. */
function toWire(value: AttributeValue): unknown {
  if (value.B) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')) };
  if (value.M) return { M: mapValues(value.M, toWire) };
  if (value.L) return { L: value.L.map(toWire) };
  return value;
}

function fromWire(value: any): AttributeValue {
  if (typeof value.B === 'string') return { B: bytesOf(value.B) };
  if (Array.isArray(value.BS)) return { BS: (value.BS as string[]).map(bytesOf) };
  if (value.M) return { M: mapValues(value.M as Record<string, unknown>, fromWire) };
  if (Array.isArray(value.L)) return { L: (value.L as unknown[]).map(fromWire) };
  return value as AttributeValue;
}

/** A Uint8Array, not a Buffer, as the SDK hands binary values back. */
const bytesOf = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

function mapValues<From, To>(record: Record<string, From>, map: (value: From) => To): Record<string, To>;
function mapValues<From, To>(record: Record<string, From> | undefined, map: (value: From) => To): Record<string, To> | undefined;
function mapValues<From, To>(record: Record<string, From> | undefined, map: (value: From) => To): Record<string, To> | undefined {
  return record && Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
