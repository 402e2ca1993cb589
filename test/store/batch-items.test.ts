/**
 * batchPutAll on a real DynamoDB (dynalite) whose batch writes are throttled as DynamoDB throttles
 * them: every item goes through (batchGetAll reads them back), and the pauses between rounds, which
 * batchGetAll's share, are a random share of a doubling delay, so that instances turned away
 * together do not come back together.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { batchGetAll, batchPutAll } from '#shared/store/batch-items.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { throttleBatchWrites } from '../helpers/dynamodb-faults.ts';
import { startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';

const TABLE = TABLE_DEFINITIONS.pushPreferences.localName;

describe('Function: batchPutAll', () => {
  let dynamo: DynamoEngine;

  beforeAll(async () => {
    dynamo = await startEngine('dynalite');
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  const throttledClient = (calls: number) => {
    const client = createDynamoDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    return { client, throttle: throttleBatchWrites(client, calls) };
  };

  it('writes every item through throttling, pausing a random share of 25 ms, 50 ms, 100 ms, ... between rounds', async () => {
    // Prepare: one chunk of 20 items, halved by each of 4 throttled calls (10, 5, 3 and 2 left over).
    const { client, throttle } = throttledClient(4);
    const items = Array.from({ length: 20 }, (_, index) => ({ userID: `batch-${index}`, muted: [] }));
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');

    // Act
    await batchPutAll(client, TABLE, items);

    // Assess
    expect(throttle.unprocessed).toBe(10 + 5 + 3 + 2);
    const pauses = setTimeoutSpy.mock.calls.map(([, delay]) => delay).filter((delay) => delay !== undefined && delay < 1_000);
    expect(pauses).toEqual([12.5, 25, 50, 100]);
    const stored = await batchGetAll(dynamo.documents, TABLE, items.map(({ userID }) => ({ userID })));
    expect(stored.map((item) => item.userID).sort()).toEqual(items.map(({ userID }) => userID).sort());
  });

  it('pauses differently in each instance when the random shares differ', async () => {
    // Prepare
    const pausesWith = async (share: number, prefix: string) => {
      const { client } = throttledClient(2);
      vi.spyOn(Math, 'random').mockReturnValue(share);
      const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
      await batchPutAll(client, TABLE, Array.from({ length: 4 }, (_, index) => ({ userID: `${prefix}-${index}`, muted: [] })));
      const pauses = setTimeoutSpy.mock.calls.map(([, delay]) => delay).filter((delay) => delay !== undefined && delay < 1_000);
      vi.restoreAllMocks();
      return pauses;
    };

    // Act
    const first = await pausesWith(0.1, 'first');
    const second = await pausesWith(0.9, 'second');

    // Assess
    expect(first).toEqual([2.5, 5]);
    expect(second).toEqual([22.5, 45]);
  });
});
