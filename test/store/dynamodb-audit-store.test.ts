import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '#shared/audit/audit-record.ts';
import { InvalidCursorError } from '#shared/store/errors.ts';
import { DynamoDbAuditStore } from '#shared/store/dynamodb-audit-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { ENGINES, startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { throttleBatchWrites } from '../helpers/dynamodb-faults.ts';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const TABLE = TABLE_DEFINITIONS.audit.localName;

function sent(serverMsgID: string, occurredAt: number, patch: Partial<AuditRecord> = {}): AuditRecord {
  return {
    recordID: `sent#${serverMsgID}`,
    kind: 'sent',
    eventType: 'callbackAfterSendSingleMsgCommand',
    eventId: `e-${serverMsgID}`,
    operationID: 'op',
    occurredAt,
    conversationID: 'si_a_b',
    sendID: 'a',
    recvID: 'b',
    serverMsgID,
    clientMsgID: `c-${serverMsgID}`,
    sessionType: 1,
    contentType: 101,
    content: '{"content":"hi"}',
    senderNickname: 'A',
    ...patch,
  };
}

describe.each(ENGINES.map((engine) => ({ engine })))('Class: DynamoDbAuditStore on $engine', ({ engine }) => {
  let dynamo: DynamoEngine;
  let store: DynamoDbAuditStore;

  beforeAll(async () => {
    dynamo = await startEngine(engine);
    store = new DynamoDbAuditStore(dynamo.documents, TABLE, { retentionDays: 90, now: () => NOW });
  }, 60_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  describe('Method: putAll', () => {
    it('keeps one record per natural key however often it is written', async () => {
      // Prepare
      const record = sent('dup-1', NOW - 1_000, { conversationID: 'si_dup', sendID: 'dup-sender' });

      // Act
      await store.putAll([record, record]);
      await store.putAll([record]);

      // Assess
      const page = await store.list({ by: 'sendID', value: 'dup-sender', limit: 10 });
      expect(page.items.map((item) => item.recordID)).toEqual(['sent#dup-1']);
    });

    it('retries what DynamoDB leaves unprocessed until every item is written', async () => {
      // Prepare
      const client = createDynamoDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      const throttle = throttleBatchWrites(client, 2);
      const retrying = new DynamoDbAuditStore(client, TABLE, { now: () => NOW, baseDelayMs: 1 });
      const records = Array.from({ length: 30 }, (_, i) => sent(`retry-${i}`, NOW - 1_000 - i, { sendID: 'retry-sender' }));

      // Act
      const { unwritten } = await retrying.putAll(records);

      // Assess
      expect(throttle.unprocessed).toBeGreaterThan(0);
      expect(unwritten).toEqual([]);
      expect((await store.list({ by: 'sendID', value: 'retry-sender', limit: 100 })).items).toHaveLength(30);
    });

    it('returns the records still unprocessed after the last attempt', async () => {
      // Prepare
      const client = createDynamoDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      throttleBatchWrites(client, 100);
      const giving = new DynamoDbAuditStore(client, TABLE, { now: () => NOW, maxAttempts: 2, baseDelayMs: 1 });
      const records = Array.from({ length: 8 }, (_, i) => sent(`left-${i}`, NOW - i, { sendID: 'left-sender' }));

      // Act
      const { unwritten } = await giving.putAll(records);

      // Assess: 8 -> 4 kept, 4 retried -> 2 kept, 2 left, unprocessed rather than refused.
      expect(unwritten).toHaveLength(2);
      expect(unwritten.every((left) => left.error === undefined)).toBe(true);
      const stored = (await store.list({ by: 'sendID', value: 'left-sender', limit: 100 })).items.map((item) => item.recordID);
      expect(stored).toHaveLength(6);
      expect(stored.some((id) => unwritten.some(({ record }) => record.recordID === id))).toBe(false);
    });

    it('writes the rest of the batch and reports, with its reason, each record DynamoDB or its marshaller refuses', async () => {
      // Prepare: one item over DynamoDB's 400 KB, one number JavaScript cannot hand DynamoDB exactly.
      const good = Array.from({ length: 5 }, (_, i) => sent(`mixed-${i}`, NOW - i, { sendID: 'mixed-sender' }));
      const tooLarge = sent('mixed-large', NOW, { sendID: 'mixed-sender', content: 'x'.repeat(420 * 1024) });
      const unsafeNumber = sent('mixed-unsafe', NOW, { sendID: 'mixed-sender', seq: 2 ** 53 + 2 });

      // Act
      const { unwritten } = await store.putAll([good[0]!, tooLarge, ...good.slice(1), unsafeNumber]);

      // Assess
      expect(unwritten.map(({ record }) => record.recordID).sort()).toEqual([tooLarge.recordID, unsafeNumber.recordID].sort());
      expect(unwritten.find(({ record }) => record === tooLarge)?.error?.message).toMatch(/size/i);
      expect(unwritten.find(({ record }) => record === unsafeNumber)?.error?.message).toMatch(/MAX_SAFE_INTEGER/);
      const stored = (await store.list({ by: 'sendID', value: 'mixed-sender', limit: 100 })).items.map((item) => item.recordID);
      expect(stored.sort()).toEqual(good.map((record) => record.recordID).sort());
    });
  });

  describe('Method: list', () => {
    it('pages a conversation newest first with an opaque cursor, skipping expired records', async () => {
      // Prepare
      const records = Array.from({ length: 7 }, (_, i) => sent(`page-${i}`, NOW - 10_000 + i * 100, { conversationID: 'si_page' }));
      const expired = sent('page-old', NOW - 91 * 24 * 3_600_000, { conversationID: 'si_page' });
      await store.putAll([...records, expired]);

      // Act
      const pages = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ by: 'conversationID', value: 'si_page', limit: 3, cursor });
        pages.push(page.items.map((item) => item.serverMsgID));
        cursor = page.cursor ?? undefined;
      } while (cursor);

      // Assess
      expect(pages.flat()).toEqual(['page-6', 'page-5', 'page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
      expect(pages[0]).toHaveLength(3);
    });

    it('refuses a cursor handed out for another listing', async () => {
      // Prepare
      await store.putAll([sent('x-1', NOW - 5, { conversationID: 'si_x' }), sent('x-2', NOW - 4, { conversationID: 'si_x' })]);
      const { cursor } = await store.list({ by: 'conversationID', value: 'si_x', limit: 1 });

      // Act
      const reading = store.list({ by: 'conversationID', value: 'si_page', limit: 1, cursor: cursor! });

      // Assess
      await expect(reading).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });

  describe('Method: recentInConversation', () => {
    it('returns messages before the given time, newest first, each once although sent and saved', async () => {
      // Prepare
      const base = NOW - 60_000;
      await store.putAll([
        sent('h-1', base, { conversationID: 'si_h' }),
        { ...sent('h-1', base, { conversationID: 'si_h' }), recordID: 'saved#h-1', kind: 'saved', seq: 7 },
        sent('h-2', base + 10, { conversationID: 'si_h' }),
        sent('h-3', base + 20, { conversationID: 'si_h' }),
        { ...sent('h-4', base + 30, { conversationID: 'si_h' }), recordID: 'moderation.blocked#h-4', kind: 'moderation.blocked' },
      ]);

      // Act
      const messages = await store.recentInConversation('si_h', { limit: 2, before: base + 20 });

      // Assess
      expect(messages.map((m) => m.serverMsgID)).toEqual(['h-2', 'h-1']);
      expect(messages[1]).toEqual({
        serverMsgID: 'h-1',
        clientMsgID: 'c-h-1',
        conversationID: 'si_h',
        sendID: 'a',
        senderNickname: 'A',
        contentType: 101,
        content: '{"content":"hi"}',
        sendTime: base,
      });
    });
  });
});
