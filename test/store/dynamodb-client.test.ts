/**
 * The signed document client (shared/aws/dynamodb-client.ts) against the SDK's: an item of every
 * attribute type crosses both ways between them on dynalite and DynamoDB Local unchanged; the
 * request on the wire is the SDK's; DynamoDB's errors are named as the SDK names them, and only
 * those the SDK's standard retry mode retries are tried again.
 */
import { DynamoDBDocumentClient, GetCommand as SdkGetCommand, PutCommand as SdkPutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDocumentClient, GetCommand, paginateQuery, PutCommand, QueryCommand, UpdateCommand } from '#shared/aws/dynamodb-client.ts';
import { AwsServiceError } from '#shared/aws/signed-aws-service.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { ENGINES, startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { closeRecordingStandIns, recordingStandIn } from '../helpers/recording-aws-stand-in.ts';

const TABLE = TABLE_DEFINITIONS.reviewItems.localName;
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Every type an attribute can have, nested too; `gone` is undefined, which both clients leave out. */
const everyType = (itemId: string) => ({
  itemId,
  text: 'a & b < c ✓ 🙂',
  empty: '',
  count: 42,
  ratio: 1.5,
  negative: -7,
  big: Number.MAX_SAFE_INTEGER,
  flag: true,
  nothing: null,
  gone: undefined,
  bytes: new Uint8Array([0, 255, 1, 128]),
  tags: new Set(['muted', 'pinned']),
  numbers: new Set([1, 2.5]),
  blobs: new Set([new Uint8Array([1]), new Uint8Array([2, 3])]),
  nested: { list: [1, 'two', { three: true, bytes: new Uint8Array([9]) }, null], map: { deeper: { yes: false } }, emptyList: [], emptyMap: {} },
});
const { gone: _gone, ...storedForm } = everyType('');
const stored = (itemId: string) => ({ ...storedForm, itemId });

describe.each(ENGINES)('Class: DynamoDocumentClient on %j', (engineName) => {
  let engine: DynamoEngine;
  let sdk: DynamoDBDocumentClient;

  beforeAll(async () => {
    engine = await startEngine(engineName);
    sdk = DynamoDBDocumentClient.from(engine.client, { marshallOptions: { removeUndefinedValues: true } });
  }, 120_000);

  afterAll(async () => {
    await engine?.stop();
  });

  it("writes an item of every attribute type that the SDK's document client reads back unchanged", async () => {
    // Act
    await engine.documents.send(new PutCommand({ TableName: TABLE, Item: everyType('ours') }));
    const { Item } = await sdk.send(new SdkGetCommand({ TableName: TABLE, Key: { itemId: 'ours' }, ConsistentRead: true }));

    // Assess
    expect(Item).toEqual(stored('ours'));
  });

  it("reads an item of every attribute type the SDK's document client wrote as the SDK reads it", async () => {
    // Prepare
    await sdk.send(new SdkPutCommand({ TableName: TABLE, Item: everyType('theirs') }));

    // Act
    const ours = await engine.documents.send(new GetCommand({ TableName: TABLE, Key: { itemId: 'theirs' }, ConsistentRead: true }));
    const theirs = await sdk.send(new SdkGetCommand({ TableName: TABLE, Key: { itemId: 'theirs' }, ConsistentRead: true }));

    // Assess
    expect(ours.Item).toEqual(theirs.Item);
    expect(ours.Item).toEqual(stored('theirs'));
    expect((ours.Item!.bytes as Uint8Array).constructor).toBe(Uint8Array);
  });

  it('answers an update with the item as updated, sets and binary values included', async () => {
    // Prepare
    await engine.documents.send(new PutCommand({ TableName: TABLE, Item: everyType('updated') }));

    // Act
    const { Attributes } = await engine.documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { itemId: 'updated' },
        UpdateExpression: 'ADD tags :more SET bytes = :bytes REMOVE nothing',
        ExpressionAttributeValues: { ':more': new Set(['archived']), ':bytes': new Uint8Array([7, 7]) },
        ReturnValues: 'ALL_NEW',
      }),
    );

    // Assess
    const { nothing: _nothing, ...rest } = stored('updated');
    expect(Attributes).toEqual({ ...rest, tags: new Set(['muted', 'pinned', 'archived']), bytes: new Uint8Array([7, 7]) });
  });

  it('reads every page of a query, following the key each page ends at', async () => {
    // Prepare: the policy table's items share a partition, one per version
    const policyTable = TABLE_DEFINITIONS.moderationPolicy.localName;
    for (let version = 0; version < 7; version += 1) {
      await engine.documents.send(new PutCommand({ TableName: policyTable, Item: { policyId: 'paged', version, bytes: new Uint8Array([version]) } }));
    }

    // Act
    const pages = [];
    for await (const page of paginateQuery(
      { client: engine.documents },
      { TableName: policyTable, KeyConditionExpression: 'policyId = :id', ExpressionAttributeValues: { ':id': 'paged' }, Limit: 3 },
    )) {
      pages.push(page.Items ?? []);
    }

    // Assess
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.flat().map((item) => item.version)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(pages.flat()[6]!.bytes).toEqual(new Uint8Array([6]));
  });

  it('names a refused call by the error DynamoDB gives, as the SDK does', async () => {
    const outcome = engine.documents.send(new QueryCommand({ TableName: 'no-such-table', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': 'x' } }));

    await expect(outcome).rejects.toBeInstanceOf(AwsServiceError);
    await expect(outcome).rejects.toMatchObject({ name: 'ResourceNotFoundException', statusCode: 400 });
  });
});

describe('Class: DynamoDocumentClient on the wire', () => {
  afterEach(closeRecordingStandIns);

  const clientOn = (endpoint: string) => createDynamoDocumentClient({ endpoint, region: 'eu-west-1', credentials: CREDENTIALS });
  const getItemX = (endpoint: string) => clientOn(endpoint).send(new GetCommand({ TableName: TABLE, Key: { itemId: 'x' } }));
  const json = (status: number, body: object) => ({ status, body: JSON.stringify(body), contentType: 'application/x-amz-json-1.0' });
  const dynamoError = (code: string) => ({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message: `${code} happened` });

  it("sends the SDK's request for the same PutItem: operation, content type and body", async () => {
    // Prepare
    const dynamodb = await recordingStandIn(json(200, {}));
    const sdk = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamodb.endpoint, region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 }), {
      marshallOptions: { removeUndefinedValues: true },
    });
    const put = { TableName: TABLE, Item: everyType('wire'), ConditionExpression: 'attribute_not_exists(itemId)' };

    // Act
    await clientOn(dynamodb.endpoint).send(new PutCommand(put));
    await sdk.send(new SdkPutCommand(put));

    // Assess
    const [ours, theirs] = dynamodb.requests;
    expect(ours!.headers['x-amz-target']).toBe('DynamoDB_20120810.PutItem');
    expect(ours!.headers['x-amz-target']).toBe(theirs!.headers['x-amz-target']);
    expect(ours!.headers['content-type']).toBe(theirs!.headers['content-type']);
    expect(JSON.parse(ours!.body)).toEqual(JSON.parse(theirs!.body));
    expect(ours!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/eu-west-1\/dynamodb\/aws4_request/);
  });

  it('tries again after throttling and a 5xx, and answers from the try that worked', async () => {
    const dynamodb = await recordingStandIn(json(400, dynamoError('ProvisionedThroughputExceededException')), json(500, dynamoError('InternalServerError')), json(200, { Item: { itemId: { S: 'x' } } }));

    const answer = await getItemX(dynamodb.endpoint);

    expect(answer.Item).toEqual({ itemId: 'x' });
    expect(dynamodb.requests).toHaveLength(3);
  });

  it('refuses at once what another try would not change, named by its code', async () => {
    const dynamodb = await recordingStandIn(json(400, dynamoError('ConditionalCheckFailedException')));

    const outcome = getItemX(dynamodb.endpoint);

    await expect(outcome).rejects.toMatchObject({ name: 'ConditionalCheckFailedException', message: 'ConditionalCheckFailedException happened', statusCode: 400 });
    expect(dynamodb.requests).toHaveLength(1);
  });

  it('names an answer that is not DynamoDB JSON by its HTTP status', async () => {
    const dynamodb = await recordingStandIn({ status: 403, body: '<html>Forbidden</html>', contentType: 'text/html' });

    const outcome = getItemX(dynamodb.endpoint);

    await expect(outcome).rejects.toMatchObject({ name: 'Http403', statusCode: 403 });
    expect(dynamodb.requests).toHaveLength(1);
  });
});
