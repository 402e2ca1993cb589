/**
 * DynamoDB's throttling behaviour for BatchWriteItem, on a real client: the next `calls` batch
 * writes store only the first half of their items (rounded down: a lone item is not stored) and
 * return the rest as `UnprocessedItems`, exactly what DynamoDB answers when a partition is
 * throttled. Everything else passes through.
 */
import { BatchWriteCommand, type DynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';

export interface ThrottleControl {
  /** Batch writes still to be throttled. */
  calls: number;
  /** Items returned as unprocessed so far. */
  unprocessed: number;
}

export function throttleBatchWrites(client: DynamoDocumentClient, calls: number): ThrottleControl {
  const control: ThrottleControl = { calls, unprocessed: 0 };
  const send = client.send.bind(client);
  client.send = (async (command: Parameters<typeof send>[0]) => {
    if (!(command instanceof BatchWriteCommand) || control.calls <= 0) return send(command);
    control.calls -= 1;
    const [table, requests = []] = Object.entries(command.input.RequestItems ?? {})[0] ?? [];
    const kept = requests.slice(0, Math.floor(requests.length / 2));
    const dropped = requests.slice(kept.length);
    control.unprocessed += dropped.length;
    // BatchWriteItem takes no empty request: with nothing kept, DynamoDB's answer is all unprocessed.
    if (kept.length === 0) return { UnprocessedItems: { [table!]: dropped } };
    const output = await send(new BatchWriteCommand({ ...command.input, RequestItems: { [table!]: kept } }));
    return { ...output, UnprocessedItems: dropped.length > 0 ? { [table!]: dropped } : {} };
  }) as typeof client.send;
  return control;
}
