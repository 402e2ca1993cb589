/**
 * The policy in force, over a real DynamoDB (dynalite) that the tests stop to simulate a store
 * outage: the last good policy must stay in force, and changes must arrive without a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActivePolicy, PolicyUnavailableError } from '#shared/moderation/active-policy.ts';
import { parseModerationPolicy } from '#shared/moderation/policy.ts';
import { DynamoDbPolicyStore } from '#shared/store/dynamodb-policy-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { captureLogs } from '../helpers/lambda.ts';

describe('Class: ActivePolicy', () => {
  let dynamo: DynamoEngine | undefined;
  let clock = 0;
  const now = () => clock;

  afterEach(async () => {
    await dynamo?.stop();
    dynamo = undefined;
  });

  async function setUp() {
    dynamo = await startEngine('dynalite');
    return new DynamoDbPolicyStore(dynamo.documents, TABLE_DEFINITIONS.moderationPolicy.localName);
  }

  it('seeds an empty store with the policy file and moderates with it', async () => {
    // Prepare
    const store = await setUp();
    const active = new ActivePolicy({ store, seed: parseModerationPolicy({ blocked: ['badword'] }), refreshMs: 1000, now });

    // Act
    const compiled = await active.current();

    // Assess
    expect(compiled.version).toBe(1);
    expect(compiled.scan('a b.a.d.w.o.r.d here').map((match) => match.action)).toEqual(['blocked']);
    expect((await store.latest())?.updatedBy).toBe('MODERATION_POLICY_FILE');
  });

  it('moderates nothing when there is neither a stored policy nor a seed', async () => {
    // Prepare
    const active = new ActivePolicy({ store: await setUp(), refreshMs: 1000, now });

    // Act
    const compiled = await active.current();

    // Assess
    expect(compiled.version).toBe(0);
    expect(compiled.scan('anything at all')).toEqual([]);
  });

  it('picks up a saved version once the refresh interval has passed, without a restart', async () => {
    // Prepare
    const store = await setUp();
    const active = new ActivePolicy({ store, seed: parseModerationPolicy({ blocked: ['first'] }), refreshMs: 1000, now });
    await active.current();
    await store.save(parseModerationPolicy({ blocked: ['second'] }), 1, 'moderator');

    // Act
    clock += 500;
    const early = await active.current();
    clock += 600;
    const due = await active.current();

    // Assess
    expect(early.version).toBe(1);
    expect(due.version).toBe(2);
    expect(due.scan('second').length).toBe(1);
  });

  it('keeps the last good policy when the store becomes unreachable', async () => {
    // Prepare
    const store = await setUp();
    const active = new ActivePolicy({ store, seed: parseModerationPolicy({ blocked: ['badword'] }), refreshMs: 1000, now, staleWaitMs: 5_000 });
    await active.current();
    await dynamo!.stop();
    dynamo = undefined;

    // Act
    clock += 2000;
    const { result, lines } = await captureLogs(() => active.current());

    // Assess
    expect(result.version).toBe(1);
    expect(result.scan('badword').length).toBe(1);
    expect(lines).toContainEqual(expect.objectContaining({ message: 'moderation policy store unreachable; keeping the policy in force' }));
  });

  it('falls back to the seed, and without one refuses, when the store is down from the start', async () => {
    // Prepare
    const store = await setUp();
    await dynamo!.stop();
    dynamo = undefined;
    const seeded = new ActivePolicy({ store, seed: parseModerationPolicy({ blocked: ['seeded'] }), refreshMs: 1000, now });
    const unseeded = new ActivePolicy({ store, refreshMs: 1000, now });

    // Act
    const { result } = await captureLogs(async () => ({
      seeded: await seeded.current(),
      unseeded: await unseeded.current().catch((error: unknown) => error),
    }));

    // Assess
    expect(result.seeded.scan('seeded').length).toBe(1);
    expect(result.unseeded).toBeInstanceOf(PolicyUnavailableError);
  });
});
