/**
 * DynamoDB's throttling behaviour for BatchWriteItem, on a real client: the next `calls` batch
 * writes store only the first half of their items (rounded down: a lone item is not stored) and
 * return the rest as `UnprocessedItems`, exactly what DynamoDB answers when a partition is
 * throttled. Everything else passes through.
 */
import type { BatchWriteItemCommandInput, BatchWriteItemCommandOutput, DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface ThrottleControl {
  /** Batch writes still to be throttled. */
  calls: number;
  /** Items returned as unprocessed so far. */
  unprocessed: number;
}

export function throttleBatchWrites(client: DynamoDBClient, calls: number): ThrottleControl {
  const control: ThrottleControl = { calls, unprocessed: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand' || control.calls <= 0) return next(args);
      control.calls -= 1;
      const input = args.input as BatchWriteItemCommandInput;
      const [table, requests = []] = Object.entries(input.RequestItems ?? {})[0] ?? [];
      const kept = requests.slice(0, Math.floor(requests.length / 2));
      const dropped = requests.slice(kept.length);
      control.unprocessed += dropped.length;
      // BatchWriteItem takes no empty request: with nothing kept, DynamoDB's answer is all unprocessed.
      if (kept.length === 0) return { output: { UnprocessedItems: { [table!]: dropped }, $metadata: {} } } as Awaited<ReturnType<typeof next>>;
      const result = await next({ ...args, input: { ...input, RequestItems: { [table!]: kept } } });
      const output = result.output as BatchWriteItemCommandOutput;
      return { ...result, output: { ...output, UnprocessedItems: dropped.length > 0 ? { [table!]: dropped } : {} } };
    },
    { step: 'initialize', name: 'throttleBatchWrites' },
  );
  return control;
}
