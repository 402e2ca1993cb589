import { DeleteCommand, PutCommand, ScanCommand } from '#shared/aws/dynamodb-client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyTooLargeError } from '#shared/moderation/errors.ts';
import { MAX_POLICY_BYTES, MAX_POLICY_TERMS, parseModerationPolicy } from '#shared/moderation/policy.ts';
import { DynamoDbPolicyStore } from '#shared/store/dynamodb-policy-store.ts';
import { PolicyVersionConflictError, StoredPolicyUnreadableError } from '#shared/store/errors.ts';
import { CHUNK_BYTES } from '#shared/store/policy-body.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { ENGINES, startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { generatedTerms } from '../helpers/generated-terms.ts';

describe.each(ENGINES.map((engine) => ({ engine })))('Class: DynamoDbPolicyStore on $engine', ({ engine }) => {
  let dynamo: DynamoEngine;
  let tableCount = 0;
  const policy = (blocked: string[]) => parseModerationPolicy({ blocked });

  beforeAll(async () => {
    dynamo = await startEngine(engine);
  }, 60_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  let tableName = '';

  /** Each test gets an empty policy table (its name in `tableName`). */
  async function freshStore(): Promise<DynamoDbPolicyStore> {
    tableCount += 1;
    const { ensureTables } = await import('../../local/provision-tables.ts');
    const definition = { ...TABLE_DEFINITIONS.moderationPolicy, localName: `policy-${tableCount}` };
    const names = await ensureTables(dynamo.client, { policy: definition });
    tableName = names.policy;
    return new DynamoDbPolicyStore(dynamo.documents, names.policy);
  }

  async function storedItems() {
    const items: { policyId: string; version: number }[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.documents.send(
        new ScanCommand({ TableName: tableName, ProjectionExpression: 'policyId, #v', ExpressionAttributeNames: { '#v': 'version' }, ExclusiveStartKey }),
      );
      items.push(...((page.Items ?? []) as typeof items));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  const chunksOf = <T extends { policyId: string }>(items: T[]) => items.filter((item) => item.policyId !== 'active');

  describe('Method: latest', () => {
    it('returns undefined when nothing was ever saved', async () => {
      // Assess
      expect(await (await freshStore()).latest()).toBeUndefined();
      expect(await (await freshStore()).latestVersion()).toBeUndefined();
    });

    it('reads back, identical, a policy at the term limit that spans many items', async () => {
      // Prepare
      const store = await freshStore();
      const big = parseModerationPolicy({ blocked: generatedTerms(MAX_POLICY_TERMS) });

      // Act
      const saved = await store.save(big, 0, 'alice');
      const read = await store.latest();

      // Assess
      expect(read).toEqual(saved);
      expect(read?.policy.blocked).toEqual(big.blocked);
      expect(chunksOf(await storedItems())).toHaveLength(Math.ceil(Buffer.byteLength(JSON.stringify(saved.policy)) / CHUNK_BYTES));
    }, 120_000);

    it('throws StoredPolicyUnreadableError when a chunk of the newest version is missing', async () => {
      // Prepare
      const store = await freshStore();
      await store.save(parseModerationPolicy({ blocked: generatedTerms(60_000) }), 0, 'alice');
      const [chunk] = chunksOf(await storedItems());
      await dynamo.documents.send(new DeleteCommand({ TableName: tableName, Key: { policyId: chunk!.policyId, version: chunk!.version } }));

      // Act + Assess
      await expect(store.latest()).rejects.toBeInstanceOf(StoredPolicyUnreadableError);
      await expect(store.latest()).rejects.toMatchObject({ version: 1 });
    }, 60_000);

    it('reads a version saved before bodies were chunked, with the document inline', async () => {
      // Prepare
      const store = await freshStore();
      const head = { policyId: 'active', version: 4, updatedAt: '2025-01-01T00:00:00.000Z', updatedBy: 'old-release' };
      await dynamo.documents.send(new PutCommand({ TableName: tableName, Item: { ...head, policy: { version: 4, blocked: ['old'], masked: [], flagged: [], allowed: [] } } }));

      // Act
      const read = await store.latest();

      // Assess
      expect(read).toEqual({ version: 4, updatedAt: head.updatedAt, updatedBy: head.updatedBy, policy: { version: 4, blocked: ['old'], masked: [], flagged: [], allowed: [] } });
      expect(await store.latestVersion()).toEqual({ version: 4, updatedAt: head.updatedAt, updatedBy: head.updatedBy });
    });
  });

  describe('Method: save', () => {
    it('stores consecutive versions and returns the newest from latest', async () => {
      // Prepare
      const store = await freshStore();

      // Act
      await store.save(policy(['one']), 0, 'alice');
      const second = await store.save(policy(['two']), 1, 'bob');

      // Assess
      expect(second).toMatchObject({ version: 2, updatedBy: 'bob', policy: { version: 2, blocked: ['two'] } });
      expect(await store.latest()).toEqual(second);
    });

    it('throws PolicyVersionConflictError when the expected version is not the newest', async () => {
      // Prepare
      const store = await freshStore();
      await store.save(policy(['one']), 0, 'alice');

      // Act + Assess
      await expect(store.save(policy(['stale']), 0, 'bob')).rejects.toBeInstanceOf(PolicyVersionConflictError);
      await expect(store.save(policy(['ahead']), 5, 'bob')).rejects.toMatchObject({ currentVersion: 1 });
      expect((await store.latest())?.policy.blocked).toEqual(['one']);
    });

    it('lets exactly one of two concurrent saves of the same version win, and the losers leave no chunks', async () => {
      // Prepare
      const store = await freshStore();

      // Act
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => store.save(policy([`writer-${i}`]), 0, `writer-${i}`)),
      );

      // Assess
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect((await store.latest())?.version).toBe(1);
      expect(chunksOf(await storedItems())).toHaveLength(1);
    });

    it('throws PolicyTooLargeError and writes nothing when the JSON is over the limit', async () => {
      // Prepare
      const store = await freshStore();
      const tooLarge = policy(Array.from({ length: Math.ceil(MAX_POLICY_BYTES / 200) }, (_, i) => `${i}`.padEnd(200, 'x')));

      // Act + Assess
      await expect(store.save(tooLarge, 0, 'alice')).rejects.toBeInstanceOf(PolicyTooLargeError);
      expect(await storedItems()).toEqual([]);
    });
  });
});
