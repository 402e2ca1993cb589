import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModerationPolicy } from '#shared/moderation/policy.ts';
import { DynamoDbPolicyStore } from '#shared/store/dynamodb-policy-store.ts';
import { PolicyVersionConflictError } from '#shared/store/errors.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { ENGINES, startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';

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

  /** Each test gets an empty policy partition by using a store over a fresh table name prefix. */
  async function freshStore(): Promise<DynamoDbPolicyStore> {
    tableCount += 1;
    const { ensureTables } = await import('../../local/provision-tables.ts');
    const definition = { ...TABLE_DEFINITIONS.moderationPolicy, localName: `policy-${tableCount}` };
    const names = await ensureTables(dynamo.client, { policy: definition });
    return new DynamoDbPolicyStore(dynamo.documents, names.policy);
  }

  describe('Method: latest', () => {
    it('returns undefined when nothing was ever saved', async () => {
      // Assess
      expect(await (await freshStore()).latest()).toBeUndefined();
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

    it('lets exactly one of two concurrent saves of the same version win', async () => {
      // Prepare
      const store = await freshStore();

      // Act
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => store.save(policy([`writer-${i}`]), 0, `writer-${i}`)),
      );

      // Assess
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect((await store.latest())?.version).toBe(1);
    });
  });
});
