/**
 * The audit trail as the operator API lists it, checked after a kill or a stop: every acknowledged
 * after-send has exactly one audit record and nothing was dead-lettered.
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'vitest';
import { eventually } from './eventually.ts';
import type { RunningServer } from './local-server.ts';

export async function auditedMessageIds(server: RunningServer, sendID: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `${server.url}/api/audit?sendID=${sendID}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await (await fetch(url, { headers: { authorization: `Bearer ${server.apiToken}` } })).json()) as {
      items: { serverMsgID: string }[];
      cursor: string | null;
    };
    ids.push(...page.items.map((item) => item.serverMsgID));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

/** Waits for the audit trail to hold every acknowledged event, then checks each is there once. */
export async function expectAuditedOnce(server: RunningServer, sendID: string, acknowledged: Iterable<number>): Promise<void> {
  const expected = [...acknowledged].map((index) => `${sendID}-${index}`);
  const audited = await eventually(async () => {
    const ids = await auditedMessageIds(server, sendID);
    const present = new Set(ids);
    return expected.every((id) => present.has(id)) && ids;
  }, 60_000).catch(async () => auditedMessageIds(server, sendID));
  const counts = new Map<string, number>();
  for (const id of audited) counts.set(id, (counts.get(id) ?? 0) + 1);
  expect(expected.filter((id) => counts.get(id) !== 1), 'acknowledged events without exactly one audit record').toEqual([]);
  expect(await deadLettered(server, 'audit-dlq')).toBe(0);
}

export async function deadLettered(server: RunningServer, queueName: string): Promise<number> {
  const sqs = new SQSClient({ endpoint: server.messagingEndpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  sqs.destroy();
  return Number(Attributes?.ApproximateNumberOfMessages);
}
